"""Where the person answers: choice buttons (number keys 1-9) and a text box."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Input, Static

from ras_chat.dialogue.session import Message
from ras_chat.ui.events import AnswerSubmitted, ChoicePicked, ChoicesSubmitted

TICKED, UNTICKED = "[x]", "[ ]"


class ChoiceButton(Button):
    """One choice; its number is part of its label, so it can be read and typed."""

    def __init__(self, number: int, label: str, *, multiple: bool) -> None:
        self.number = number
        self.choice_label = label
        self.multiple = multiple
        self.ticked = False
        super().__init__(self._label(), id=f"choice-{number}", classes="choice", compact=True)

    def _label(self) -> str:
        box = f"{TICKED if self.ticked else UNTICKED} " if self.multiple else ""
        return f"{box}{self.number}. {self.choice_label}"

    def toggle(self) -> None:
        self.ticked = not self.ticked
        self.set_class(self.ticked, "-ticked")
        self.label = self._label()


class ChoicePad(Grid):
    """The choices of the current question as buttons. Up/down move between them."""

    BINDINGS = [
        Binding("down,right", "app.focus_next", "Next", show=False),
        Binding("up,left", "app.focus_previous", "Previous", show=False),
    ]


class AnswerBar(Vertical):
    """Choices (when the question has them), a text box and a send button.

    Posts `ChoicePicked`, `ChoicesSubmitted` or `AnswerSubmitted`; never talks to the session.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.question: Message | None = None

    def compose(self) -> ComposeResult:
        yield ChoicePad(id="choices")
        yield Static("", id="hint")
        with Horizontal(id="entry"):
            yield Input(placeholder="Type your answer here, then press Enter", id="answer")
            yield Button("Send", id="send", compact=True)

    # -- rendering --

    async def show_question(self, question: Message | None) -> None:
        """Show the choices of `question` (or none, when the talk has ended)."""
        self.question = question
        pad = self.query_one(ChoicePad)
        await pad.remove_children()
        hint = self.query_one("#hint", Static)
        entry = self.query_one("#entry")
        answer = self.query_one("#answer", Input)
        answer.value = ""
        if question is None:
            pad.display = False
            entry.display = False
            hint.update("The conversation has ended. Press ctrl+q to close.")
            return
        entry.display = True
        choices = question.choices
        pad.display = bool(choices)
        pad.set_class(len(choices) > 3, "-two-columns")
        if choices:
            buttons = [ChoiceButton(c.number, c.label, multiple=question.multiple) for c in choices]
            if question.multiple:
                buttons.append(Button("Send my choices", id="send-choices", classes="send-choices", compact=True))
            await pad.mount_all(buttons)
            if question.multiple:
                hint.update("Press the numbers to tick or untick, then Enter to send. Or type your answer.")
            else:
                hint.update("Press a number key or Enter on a choice. Or type your answer.")
            self.call_after_refresh(self._focus_first)
        else:
            hint.update("Type your answer and press Enter.")
            answer.focus()

    def _focus_first(self) -> None:
        buttons = list(self.query(ChoiceButton))
        if buttons:
            buttons[0].focus()

    # -- input --

    def action_pick(self, number: int) -> None:
        button = next((b for b in self.query(ChoiceButton) if b.number == number), None)
        if button is None:
            self.app.bell()
            return
        button.focus()
        self._press(button, by_key=True)

    def _press(self, button: ChoiceButton, *, by_key: bool = False) -> None:
        if button.multiple:
            button.toggle()
            if by_key:  # "1", "3", Enter: the number keys tick, Enter sends
                self.query_one("#send-choices", Button).focus()
        else:
            self.post_message(ChoicePicked(button.number))

    @on(Button.Pressed, ".choice")
    def _choice_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        assert isinstance(event.button, ChoiceButton)
        self._press(event.button)

    @on(Button.Pressed, "#send-choices")
    def _send_choices(self, event: Button.Pressed) -> None:
        event.stop()
        numbers = tuple(b.number for b in self.query(ChoiceButton) if b.ticked)
        if not numbers:
            self.query_one("#hint", Static).update("Tick at least one choice first (press its number), or type your answer.")
            self.app.bell()
            return
        self.post_message(ChoicesSubmitted(numbers))

    @on(Input.Submitted, "#answer")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        self._send_typed()

    @on(Button.Pressed, "#send")
    def _send_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._send_typed()

    def _send_typed(self) -> None:
        answer = self.query_one("#answer", Input)
        text = answer.value
        if not text.strip():
            self.app.bell()
            return
        answer.value = ""
        self.post_message(AnswerSubmitted(text))
