"""The worker's review screen: the hand-off in professional terms, one change at a time, sign-off.

`make_review_app(target, session_id)` is the factory `ras-chat review ID` and the tests
share. The screen works nothing out: changes go through `ras_chat.review` (which checks
them and writes the audit trail) and the screen shows what it gives back.

Keys: Tab moves between the fields; Enter in the reason saves; ctrl+s saves; ctrl+o
signs off (with a confirm); ctrl+q quits.
"""

from __future__ import annotations

from decimal import Decimal

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from ras.models import AREA_IDS, CLIENT_GROUPS, OUTCOME_IDS, SUPPORT_LEVELS
from ras.money import pounds
from ras_chat.review import actions
from ras_chat.review.model import (
    SETTABLE,
    UNABLE_WAYS,
    Reviewed,
    ReviewError,
    add_outcome,
    check_reason,
    describe,
    remove_outcome,
    reviewed,
    set_amount,
    set_field,
    sign_off,
)
from ras_chat.review.text import review_lines, urgent_lines
from ras_chat.store.store import Store, open_store
from ras_chat.ui.themes import hold_still

CHOICES: list[tuple[str, str]] = [
    *[(f"{a} {p.replace('_', ' ')}", f"areas.{a}.{p}") for a in AREA_IDS for p in ("need", "risk", "unpaid_support")],
    ("client group", "client_group"),
    ("fluctuating needs", "fluctuating"),
    ("impairment (reg. 2(1)(a))", "impairment"),
    ("wellbeing impact (reg. 2(1)(c))", "wellbeing_impact"),
    ("add an unable outcome", "add_outcome"),
    ("remove an unable outcome", "remove_outcome"),
    ("weekly amount (outside the tables)", "amount"),
]

HINTS = {
    "need": "0 to 4",
    "risk": "0 to 4",
    "unpaid_support": " / ".join(SUPPORT_LEVELS),
    "client_group": " / ".join(CLIENT_GROUPS),
    "flag": "yes / no",
    "add_outcome": "outcome, then : and the reg. 2(3) ways, e.g. nutrition:unsafe,takes_longer ("
    + ", ".join(OUTCOME_IDS) + "; ways: " + ", ".join(UNABLE_WAYS) + ")",
    "remove_outcome": ", ".join(OUTCOME_IDS),
    "amount": "pounds a week, e.g. 480.00 (`none` goes back to the calculated amount)",
}


def change_from_form(what: str, value: str):
    """The Change the form describes (raises ReviewError with a line for the worker)."""
    if not what:
        raise ReviewError("choose what to change first")
    if what == "add_outcome":
        outcome, _, ways = value.partition(":")
        return add_outcome(outcome, ways.split(",") if ways else ())
    if what == "remove_outcome":
        return remove_outcome(value)
    if what == "amount":
        if not value.strip():
            raise ReviewError("type the weekly amount, or `none` to go back to the calculated amount")
        return set_amount(value)
    if not value.strip():
        raise ReviewError(f"type the new value for {what} ({HINTS[SETTABLE[what]]})")
    return set_field(what, value)


def _pounds(value: Decimal | None) -> str:
    return "-" if value is None else pounds(value)


class ConfirmSignOff(ModalScreen[str | None]):
    """Sign off at the agreed amount? Gives back the reason, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, review: Reviewed) -> None:
        super().__init__()
        self.review = review

    def compose(self) -> ComposeResult:
        r = self.review
        with Vertical(id="confirm"):
            yield Label(f"Sign off session {r.session_id} at {_pounds(r.agreed_weekly)} a week?", id="confirm-question")
            yield Label("This marks the budget as agreed. No more changes can be made after it.")
            yield Input(placeholder="Reason (required), e.g. agreed with the person on 4 May", id="signoff-reason")
            yield Static("", id="confirm-message", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Sign off", id="confirm-yes", variant="warning")
                yield Button("Cancel", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#signoff-reason", Input).focus()

    @on(Button.Pressed, "#confirm-yes")
    @on(Input.Submitted, "#signoff-reason")
    def confirm(self) -> None:
        reason = self.query_one("#signoff-reason", Input).value
        try:
            check_reason(reason)
        except ReviewError as exc:
            self.query_one("#confirm-message", Static).update(f"Not signed off: {exc}.")
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#confirm-no")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewApp(App[int]):
    """Review one hand-off: read it, change it (each change with a reason), sign it off."""

    TITLE = "ras-chat review"
    CSS_PATH = "review.tcss"
    CSS = "#urgent { text-style: bold; border: heavy $error; padding: 0 1; margin-bottom: 1; }"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+s", "save", "Save change", priority=True),
        Binding("ctrl+o", "sign_off", "Sign off", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, target: str, session_id: str, *, who: str | None = None, policy_at=None) -> None:
        super().__init__()
        hold_still(self)
        self.target = target
        self.session_id = session_id
        self.who = who
        self.policy_at = policy_at
        self.store: Store | None = None
        self.review: Reviewed | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="review-body"):
            with VerticalScroll(id="handoff", can_focus=True):
                yield Static("", id="urgent", markup=False)
                yield Static("", id="handoff-text", markup=False)
            with Vertical(id="side"):
                yield Label("Make one change", classes="section")
                yield Select(CHOICES, prompt="What to change", id="what")
                yield Static("", id="hint", markup=False)
                yield Input(placeholder="New value", id="value")
                yield Input(placeholder="Reason (required)", id="reason")
                with Horizontal(id="buttons"):
                    yield Button("Save change", id="save", variant="primary")
                    yield Button("Sign off", id="signoff", variant="warning")
                yield Static("", id="message", markup=False)
                yield Label("Audit trail", classes="section")
                with VerticalScroll(id="trail-box"):
                    yield Static("", id="trail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.store = open_store(self.target)
        self.sub_title = self.session_id
        self.refresh_review()
        self.query_one("#what", Select).focus()

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()

    # -- showing --

    def refresh_review(self) -> None:
        assert self.store is not None
        details = self.store.details(self.session_id)
        self.review = r = reviewed(details, policy_at=self.policy_at)
        from ras_chat.exports.handoff import build_handoff

        h = build_handoff(details)
        text = "\n".join(review_lines(r, who=h.session.who, flags=h.flags, what_matters=h.own_words.what_matters,
                                      carer=h.carer.record if h.carer else None, stopped=h.stopped))
        self.query_one("#handoff-text", Static).update(text)
        urgent = urgent_lines(h.flags)
        banner = self.query_one("#urgent", Static)
        banner.update("\n".join(urgent))
        banner.display = bool(urgent)
        trail = [f"#{c.seq} {c.at[:16].replace('T', ' ')} {c.who}\n  {describe(c.what)}\n  why: {c.why}" for c in r.changes]
        self.query_one("#trail", Static).update("\n".join(trail) or "No changes yet.")
        self.query_one("#signoff", Button).disabled = not r.can_sign_off
        said = "agreed" if r.signed_off is not None else ("changed to" if r.amount_changed else "first figure")
        self.sub_title = f"{self.session_id}: {r.status.replace('_', ' ')}, {said} " + (
            pounds(r.agreed_weekly) if r.agreed_weekly is not None else "-"
        )

    def _agreed(self) -> Decimal | None:
        return self.review.agreed_weekly if self.review is not None else None

    def say(self, text: str, *, error: bool = False) -> None:
        msg = self.query_one("#message", Static)
        msg.update(text)
        msg.set_class(error, "error")

    @on(Select.Changed, "#what")
    def _what_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else ""
        kind = SETTABLE.get(value, value)
        hint = HINTS.get(kind, "")
        if value in SETTABLE and self.review and self.review.adjusted_record is not None:
            from ras_chat.review.model import current_value

            hint = f"now {current_value(self.review.adjusted_record.dump(), value)}; {hint}"
        self.query_one("#hint", Static).update(hint)

    # -- acting --

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#reason")
    def action_save(self) -> None:
        assert self.store is not None
        what = self.query_one("#what", Select).value
        value = self.query_one("#value", Input).value
        reason = self.query_one("#reason", Input).value
        try:
            check_reason(reason)
            change = change_from_form(what if isinstance(what, str) else "", value)
            entry = actions.make_change(
                self.store, self.session_id, change, why=reason, who=self.who, policy_at=self.policy_at
            )
        except ReviewError as exc:
            self.say(f"Not saved: {exc}.", error=True)
            if "reason" in str(exc):
                self.query_one("#reason", Input).focus()
            return
        self.query_one("#value", Input).value = ""
        self.query_one("#reason", Input).value = ""
        self.refresh_review()
        self.say(f"Saved #{entry.seq}: {describe(entry.what)}. Agreed amount {_pounds(self._agreed())}.")
        self.query_one("#what", Select).focus()

    @on(Button.Pressed, "#signoff")
    def action_sign_off(self) -> None:
        r = self.review
        if r is None:
            return
        why_not = r.why_not_sign_off()
        if why_not:
            self.say(f"Cannot sign off: {why_not}.", error=True)
            return
        self.push_screen(ConfirmSignOff(r), self._signed)

    def _signed(self, reason: str | None) -> None:
        if reason is None:
            self.say("Not signed off.")
            return
        assert self.store is not None
        try:
            actions.make_change(self.store, self.session_id, sign_off(), why=reason, who=self.who, policy_at=self.policy_at)
        except ReviewError as exc:
            self.say(f"Not signed off: {exc}.", error=True)
            return
        self.refresh_review()
        self.say(f"Signed off: agreed at {_pounds(self._agreed())} a week.")


def make_review_app(target: str, session_id: str, *, who: str | None = None, policy_at=None) -> ReviewApp:
    return ReviewApp(str(target), session_id, who=who, policy_at=policy_at)


def run_review(target: str, session_id: str, *, who: str | None = None) -> int:
    make_review_app(target, session_id, who=who).run()
    return 0
