"""The result: the explanation as messages, and a table to look at as well as read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ras.charging import BudgetStatement
from ras.models import Allocation
from ras.money import pounds
from ras_chat.app.summary import standing_for
from ras_chat.ui.widgets.chat import ChatLog

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.review.standing import Standing


class ResultScreen(Screen):
    """Shows an allocation the session worked out, and the person's and the council's parts
    when the optional money part gave an estimate. Escape goes back to the chat.

    Computes nothing: the parts come from the session's budget statement (worked out by the
    dialogue layer from its stored charge estimate), given as `statement`. Without one the
    screen shows the amount only. For a resumed session whose amount a worker agreed or
    changed, `standing` (default: the one kept on resume, `ras_chat.app.summary`) is the
    amount shown, with its own statement, beside the first figures.
    """

    BINDINGS = [Binding("escape", "app.pop_screen", "Back to the chat")]
    DEFAULT_CSS = """
    #result-parts {
        height: auto;
        padding: 1 0 0 0;
        text-style: bold;
    }
    """

    def __init__(
        self,
        allocation: Allocation,
        reference: str,
        statement: BudgetStatement | None = None,
        standing: Standing | None = None,
    ) -> None:
        super().__init__()
        self.allocation = allocation
        self.reference = reference
        self.standing = standing if standing is not None else standing_for(reference)
        if self.standing is not None and self.standing.statement is not None:
            statement = self.standing.statement
        self.statement = statement

    def title_text(self) -> str:
        s = self.standing
        if s is not None and s.eligible:
            said = "Your agreed amount" if s.agreed else "The amount a worker set"
            return f"{said}: {pounds(s.weekly)} a week"
        return f"Your starting amount: {pounds(self.allocation.weekly)} a week"

    def parts_text(self) -> str:
        """Who pays what, from the budget statement: the person's and the council's parts
        when the money part gave an estimate, else that they are not worked out yet."""
        st = self.statement
        eligible = self.standing.eligible if self.standing is not None else self.allocation.eligible
        if st is None or not eligible or st.weekly_total <= 0:
            return ""
        pw, py, cw, cy = st.person_weekly, st.person_yearly, st.council_weekly, st.council_yearly
        if not st.parts_known or pw is None or py is None or cw is None or cy is None:
            return "Your part and the council's part are not worked out yet. A money check decides."
        return (
            f"You pay {pounds(pw)} a week ({pounds(py)} a year). "
            f"The council pays {pounds(cw)} a week ({pounds(cy)} a year). "
            "Your part is a first guess: a money check with a finance officer decides it."
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="result"):
            yield Static(self.title_text(), id="result-title", markup=False)
            yield ChatLog(id="explanation", follow=False)  # read from the top
            yield DataTable(id="amounts", cursor_type="row", zebra_stripes=False)
            parts = self.parts_text()
            if parts:
                yield Static(parts, id="result-parts", markup=False)
            yield Static(
                f"Your reference: {self.reference}. A worker will check this with you. "
                "Press Escape to see the chat again, ctrl+q to close.",
                id="result-note",
            )
        yield Footer()

    def on_mount(self) -> None:
        a = self.allocation
        log = self.query_one(ChatLog)
        for step in a.explanation:
            log.add(step.text, kind="result")
        table = self.query_one(DataTable)
        table.add_column("Part of the money", key="part")
        table.add_column("A week", key="weekly")
        table.add_column("What it is for", key="why")
        for e in a.elements:
            table.add_row(e.name, pounds(e.amount), e.why, key=f"element-{e.area}")
        table.add_row("Total a week", pounds(a.weekly), "", key="weekly")
        table.add_row("Total a year", pounds(a.annual), "", key="annual")
        table.add_row("Range a week", f"{pounds(a.range.low)} to {pounds(a.range.high)}", "It can go up or down", key="range")
        s = self.standing
        if s is not None and s.eligible and s.changed:
            said = "Agreed with a worker" if s.agreed else "Set by a worker"
            table.add_row("Agreed a week" if s.agreed else "Now a week", pounds(s.weekly), said, key="standing-weekly")
            if s.annual is not None:
                table.add_row("Agreed a year" if s.agreed else "Now a year", pounds(s.annual), "", key="standing-annual")
        table.focus()
