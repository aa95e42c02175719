"""The result: the explanation as messages, and a table to look at as well as read."""

from __future__ import annotations

from collections.abc import Sequence
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
from ras_chat.ui.words import word

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.review.standing import Standing


class ResultScreen(Screen):
    """Shows an allocation the session worked out, and the person's and the council's parts
    when the optional money part gave an estimate. Escape goes back to the chat.

    Computes nothing: the parts come from the session's budget statement (worked out by the
    dialogue layer from its stored charge estimate), given as `statement`. Without one the
    screen shows the amount only. For a resumed session whose amount a worker agreed or
    changed, `standing` (default: the one kept on resume, `ras_chat.app.summary`) is the
    amount shown, with its own statement, beside the first figures. `carer`: what the
    person is told of their carer's own talk (`ras_chat.app.summary.carer_ending`), shown
    under the amount as one paragraph (so that at 80x24 the reference note stays in view);
    empty when the carer had no talk of their own.
    """

    BINDINGS = [Binding("escape", "app.pop_screen", word("result.back"))]
    DEFAULT_CSS = """
    #result-parts {
        height: auto;
        padding: 1 0 0 0;
        text-style: bold;
    }
    #result-carer {
        height: auto;
        padding: 1 0 0 0;
    }
    """

    def __init__(
        self,
        allocation: Allocation,
        reference: str,
        statement: BudgetStatement | None = None,
        standing: Standing | None = None,
        carer: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.carer = list(carer)
        self.allocation = allocation
        self.reference = reference
        self.standing = standing if standing is not None else standing_for(reference)
        if self.standing is not None and self.standing.statement is not None:
            statement = self.standing.statement
        self.statement = statement

    def title_text(self) -> str:
        s = self.standing
        if s is not None and s.eligible:
            return word("result.agreed" if s.agreed else "result.worker_set", weekly=pounds(s.weekly))
        return word("result.starting", weekly=pounds(self.allocation.weekly))

    def parts_text(self) -> str:
        """Who pays what, from the budget statement: the person's and the council's parts
        when the money part gave an estimate, else that they are not worked out yet."""
        st = self.statement
        eligible = self.standing.eligible if self.standing is not None else self.allocation.eligible
        if st is None or not eligible or st.weekly_total <= 0:
            return ""
        pw, py, cw, cy = st.person_weekly, st.person_yearly, st.council_weekly, st.council_yearly
        if not st.parts_known or pw is None or py is None or cw is None or cy is None:
            return word("result.parts_unknown")
        return word(
            "result.parts", person_weekly=pounds(pw), person_yearly=pounds(py), council_weekly=pounds(cw), council_yearly=pounds(cy)
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="result"):
            yield Static(self.title_text(), id="result-title", markup=False)
            yield ChatLog(id="explanation", follow=False)  # read from the top
            yield DataTable(id="amounts", cursor_type="row", zebra_stripes=False)
            parts = self.parts_text()
            if parts:
                yield Static(parts, id="result-parts", markup=False)
            if self.carer:
                yield Static(" ".join(self.carer), id="result-carer", markup=False)
            yield Static(word("result.note", reference=self.reference), id="result-note")
        yield Footer()

    def on_mount(self) -> None:
        a = self.allocation
        log = self.query_one(ChatLog)
        for step in a.explanation:
            log.add(step.text, kind="result")
        table = self.query_one(DataTable)
        table.add_column(word("result.column_part"), key="part")
        table.add_column(word("result.column_weekly"), key="weekly")
        table.add_column(word("result.column_why"), key="why")
        for e in a.elements:
            table.add_row(e.name, pounds(e.amount), e.why, key=f"element-{e.area}")
        table.add_row(word("result.total_weekly"), pounds(a.weekly), "", key="weekly")
        table.add_row(word("result.total_yearly"), pounds(a.annual), "", key="annual")
        table.add_row(
            word("result.range_weekly"),
            word("result.range_value", low=pounds(a.range.low), high=pounds(a.range.high)),
            word("result.range_why"),
            key="range",
        )
        s = self.standing
        if s is not None and s.eligible and s.changed:
            said = word("result.agreed_with" if s.agreed else "result.set_by")
            weekly = word("result.agreed_weekly" if s.agreed else "result.now_weekly")
            table.add_row(weekly, pounds(s.weekly), said, key="standing-weekly")
            if s.annual is not None:
                table.add_row(word("result.agreed_yearly" if s.agreed else "result.now_yearly"), pounds(s.annual), "", key="standing-annual")
        table.focus()
