"""Training screens over the chat app: pick a case, read the story, hold the conversation
as the worker typing the person's answers, then a debrief with a "what if" control.

`TrainingApp` reuses the chat app (`RasChatApp`: its chat screen, answer bar, worker
panel with "what if", turns and keys) and adds three screens; at the end it handles
`ConversationFinished` with the debrief instead of the result screen. Widgets post small
past-tense messages; the app calls the pure training functions (`ras_chat.training`) and
hands the results to the screens.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ras.models import AssessmentRecord
from ras_chat.training import Case, debrief, debrief_lines, load_cases, start_session
from ras_chat.training.debrief import Debrief
from ras_chat.training.show import case_policy, story_lines
from ras_chat.training.whatif import WhatIf, answer_paths, path_label, value_text
from ras_chat.ui.app import RasChatApp
from ras_chat.ui.events import ConversationFinished, WhatIfAsked
from ras_chat.ui.screens.chat import ChatScreen

# ----- messages (past tense, no logic) ------------------------------------------------------


@dataclass
class CasePicked(Message):
    case_id: str


@dataclass
class StoryRead(Message):
    """The worker has read the story and wants to start the conversation."""


# ----- screens ------------------------------------------------------------------------------


class CasePickScreen(Screen):
    def __init__(self, cases: list[Case]) -> None:
        super().__init__()
        self.cases = cases

    def compose(self) -> ComposeResult:
        with Vertical(id="pick"):
            yield Static("Practice cases: pick a person to practise with (arrows, then Enter)", classes="training-title")
            yield OptionList(*(Option(f"{c.name} \u2014 {c.summary}", id=c.id) for c in self.cases), id="cases")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#cases")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(CasePicked(str(event.option.id)))


class StoryScreen(Screen):
    def __init__(self, case: Case) -> None:
        super().__init__()
        self.case = case

    def compose(self) -> ComposeResult:
        lines = story_lines(self.case)
        with Vertical(id="story"):
            yield Static(lines[0], classes="training-title")
            yield Static("\n".join(lines[2:]), id="story-text", markup=False)
            yield Button("Start the conversation", id="start")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    @on(Button.Pressed, "#start")
    def _start(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(StoryRead())


class DebriefScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back to the chat")]

    def __init__(self, case: Case, result: Debrief | None, note: str = "") -> None:
        super().__init__()
        self.case = case
        self.result = result
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="debrief"):
            yield Static(f"Debrief: {self.case.name} ({self.case.id})", classes="training-title")
            text = ([self.note, ""] if self.note else []) + (debrief_lines(self.result) if self.result else [])
            with VerticalScroll(id="debrief-text"):
                yield Static("\n".join(text), id="debrief-body", markup=False)
            yield DataTable(id="money", cursor_type="row")
            with Horizontal(id="whatif-bar"):
                yield Select([(path_label(p), p) for p in answer_paths()], prompt="What if... (pick an answer)", id="whatif-path")
                yield Input(placeholder="new value, e.g. 3", id="whatif-value")
                yield Button("Try it", id="whatif-go", compact=True)
            yield DataTable(id="whatif-table", cursor_type="row")
            yield Static("", id="whatif-note", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#money", DataTable)
        for col in ("method", "yours", "reference", "difference", "band (yours / ref.)", "shortfall (yours / ref.)"):
            table.add_column(col, key=col.split()[0])
        if self.result:
            for m in self.result.money:
                table.add_row(m.method, str(m.yours), str(m.reference), f"{m.difference:+}",
                              f"{m.band_yours or '-'} / {m.band_reference or '-'}",
                              f"{m.shortfall_yours} / {m.shortfall_reference}", key=m.method)
        w = self.query_one("#whatif-table", DataTable)
        for col in ("method", "before", "after", "change", "elements that changed"):
            w.add_column(col, key=col.split()[0])

    @on(Button.Pressed, "#whatif-go")
    @on(Input.Submitted, "#whatif-value")
    def _ask(self, event) -> None:
        event.stop()
        path = self.query_one("#whatif-path", Select).value
        if path is Select.BLANK or not isinstance(path, str):
            self.show_note("Pick an answer to change first.")
            return
        self.post_message(WhatIfAsked(self, path, self.query_one("#whatif-value", Input).value))

    def show_note(self, text: str) -> None:
        self.query_one("#whatif-note", Static).update(text)

    def show_what_if(self, w: WhatIf) -> None:
        table = self.query_one("#whatif-table", DataTable)
        table.clear()
        for m in w.methods:
            elements = "; ".join(f"{e.name}: {e.before} -> {e.after}" for e in m.elements) or "-"
            table.add_row(m.method, str(m.before), str(m.after), f"{m.change:+}", elements, key=m.method)
        eligible = "" if w.eligible_before == w.eligible_after else f" Eligible: {w.eligible_before} -> {w.eligible_after}."
        self.show_note(f"What if {w.label} were {value_text(w.value_after)} instead of {value_text(w.value_before)}?{eligible}")


# ----- the app --------------------------------------------------------------------------------


class TrainingApp(RasChatApp):
    """The chat app with a case picker, the story, and a debrief at the end."""

    TITLE = "ras-chat training"
    CSS_PATH = ["styles/app.tcss", "training.tcss"]

    def __init__(self, case: Case | None = None, *, theme: str | None = "default") -> None:
        self.cases = load_cases()
        self.case = case
        super().__init__(start_session(case or self.cases[0]), theme=theme, show_result=False)
        self.last_debrief: Debrief | None = None
        self.last_what_if: WhatIf | None = None

    def get_default_screen(self) -> Screen:
        return StoryScreen(self.case) if self.case else CasePickScreen(self.cases)

    @property
    def picked(self) -> Case:
        """The case being practised (a conversation starts only once one is picked)."""
        if self.case is None:
            raise LookupError("no case picked yet")
        return self.case

    @on(CasePicked)
    def _case_picked(self, event: CasePicked) -> None:
        self.case = next(c for c in self.cases if c.id == event.case_id)
        self.session = start_session(self.case)
        self.push_screen(StoryScreen(self.case))

    @on(StoryRead)
    def _story_read(self, event: StoryRead) -> None:
        self.push_screen(ChatScreen())

    def on_conversation_finished(self, event: ConversationFinished) -> None:
        """The debrief instead of the result screen."""
        event.prevent_default()
        case = self.picked
        record = self.live.record()
        note = ""
        if any(f.code == "safety" for f in self.live.state.flags):
            note = "The conversation stopped for safety, as it should: an urgent flag was raised for the worker."
        if record is None:
            self.last_debrief = None
            note = (note + " " if note else "") + "No answers about the parts of life were recorded, so there is nothing to compare."
        else:
            self.last_debrief = debrief(record, case.record, case_policy(case))
        self.push_screen(DebriefScreen(case, self.last_debrief, note))

    def what_if_record(self) -> AssessmentRecord:
        """The trainee's record so far; before any part of life is answered, the case's own."""
        return self.live.record() or self.picked.record


def make_training_app(case: Case | None = None, *, theme: str | None = "default") -> TrainingApp:
    return TrainingApp(case, theme=theme)


def run_training_app(case: Case | None = None, *, theme: str | None = None) -> int:
    app = make_training_app(case, theme=theme or "default")
    code = app.run()
    return int(code or 0)


__all__ = ["CasePickScreen", "DebriefScreen", "StoryScreen", "TrainingApp", "make_training_app", "run_training_app"]
