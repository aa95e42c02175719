"""Where the person answers: choice buttons and a text box that keeps the focus.

Nothing typed is thrown away, and a key answers one question only:

- The text box has the focus on every question, so words typed on a choice question go
  into it ("someone else, I am doing it for my dad"), and Enter sends them.
- A number typed into the *empty* box on a choice question picks that choice (or, with
  tick boxes, ticks or unticks it; Enter then sends the ticks). Once the box has words in
  it, numbers are part of the words. If words follow numbers that ticked boxes ("1 and
  3"), the numbers go back into the box as typed and the ticks they made come off, so
  the box holds exactly what was typed.
- Every answer carries `asked`, the number of the question it was given to
  (`AnswerBar.asked`, set by the app with each question). The app drops an answer for a
  question that is no longer on screen (a second key in one fast write) and hands typed
  words for it back to the box (`restore_text`), so they are neither lost nor sent to a
  question the person had not seen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Input, Static

from ras_chat.ui.events import AnswerSubmitted, ChoicePicked, ChoicesSubmitted
from ras_chat.ui.words import word

if TYPE_CHECKING:  # the first screen is drawn before the dialogue package is loaded
    from ras_chat.ui.shown import Said as Message  # the session's Message, or the first screen's

TICKED, UNTICKED = "[x]", "[ ]"
DIGITS = "123456789"


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


class AnswerInput(Input):
    """The text box. Keys are handled here, in the order they were typed, so a fast write
    ("1" and Enter at once) is read exactly as two presses one after the other."""

    BINDINGS = [Binding("up", "to_choices", "Choices", show=False)]

    @property
    def bar(self) -> AnswerBar:
        node: Any = self.parent
        while node is not None and not isinstance(node, AnswerBar):
            node = node.parent
        assert node is not None, "AnswerInput lives in an AnswerBar"
        return node

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            # here, not as a binding: a binding runs once the key has bubbled up to the app,
            # by which time the keys typed after Enter may already be in the box
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        if self.bar.take_key(event, self.value):
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)

    async def action_submit(self) -> None:
        # read and empty the box now, at this key: whatever is typed after Enter stays
        text = self.value
        self.value = ""
        self.bar.submit_text(text)

    def action_to_choices(self) -> None:
        buttons = list(self.bar.query(ChoiceButton))
        if buttons:
            self.screen.set_focus(buttons[-1])


def _mark(question: Message) -> tuple:
    return (question.state, question.text, question.multiple, tuple((c.number, c.label) for c in question.choices))


def _buttons(question: Message) -> list[Button]:
    buttons: list[Button] = [ChoiceButton(c.number, c.label, multiple=question.multiple) for c in question.choices]
    if question.multiple:
        buttons.append(Button(word("screen.send_choices"), id="send-choices", classes="send-choices", compact=True))
    return buttons


def _hint(question: Message) -> str:
    if not question.choices:
        return word("screen.hint_type")
    if question.multiple:
        return word("screen.hint_tick")
    return word("screen.hint_pick")


class AnswerBar(Vertical):
    """Choices (when the question has them), a text box and a send button.

    Posts `ChoicePicked`, `ChoicesSubmitted` or `AnswerSubmitted`; never talks to the session.
    """

    def __init__(self, question: Message | None = None, **kwargs) -> None:
        """`question`: composed with the bar (the first screen), not mounted later."""
        super().__init__(**kwargs)
        self.question: Message | None = None
        self._composed_question = question
        self._shown_as: tuple | None = None
        self.asked = 0
        """Which question is on screen (the app's count); every answer posted carries it."""
        self._keyed = ""
        """Digits typed into the empty box that ticked boxes, in order (undone if words follow)."""

    def compose(self) -> ComposeResult:
        q = self._composed_question
        if q is not None and q.choices:
            self._shown_as = _mark(q)
            with ChoicePad(id="choices", classes="-two-columns" if len(q.choices) > 3 else ""):
                yield from _buttons(q)
            yield Static(_hint(q), id="hint")
        else:
            yield ChoicePad(id="choices")
            yield Static("", id="hint")
        with Horizontal(id="entry"):
            yield AnswerInput(placeholder=word("screen.placeholder"), id="answer")
            yield Button(word("screen.send"), id="send", compact=True)

    # -- rendering --

    async def show_question(self, question: Message | None, asked: int | None = None) -> None:
        """Show the choices of `question` (or none, when the talk has ended). What is in
        the text box stays: it was typed after the last answer was sent."""
        self.question = question
        if asked is not None:
            self.asked = asked
        self._keyed = ""
        pad = self.query_one(ChoicePad)
        hint = self.query_one("#hint", Static)
        entry = self.query_one("#entry")
        answer = self.query_one("#answer", Input)
        mark = _mark(question) if question is not None else None
        composed, self._shown_as = self._shown_as, None
        if mark is not None and mark == composed:
            pass  # these very choices were composed with the bar (the first screen)
        else:
            await pad.remove_children()
        if question is None:
            pad.display = False
            entry.display = False
            hint.update(word("screen.ended"))
            return
        entry.display = True
        choices = question.choices
        pad.display = bool(choices)
        pad.set_class(len(choices) > 3, "-two-columns")
        if choices and mark != composed:
            await pad.mount_all(_buttons(question))
        hint.update(_hint(question))
        if self.screen.focused is not answer:
            self.screen.set_focus(answer)

    def restore_text(self, text: str) -> None:
        """Put words back in the box (they were sent to a question no longer on screen)."""
        answer = self.query_one("#answer", Input)
        answer.value = f"{text} {answer.value}".strip() if answer.value.strip() else text
        answer.cursor_position = len(answer.value)
        self.query_one("#hint", Static).update(word("screen.words_kept"))
        self.app.bell()

    # -- keys typed in the text box --

    def take_key(self, event: events.Key, value: str) -> bool:
        """Handle `event` if it is a number for a choice typed into the empty box (or undoes
        one); True when it was taken. Called by the text box, key by key, in order."""
        q = self.question
        if q is None or not q.choices:
            return False
        char = event.character
        if value:
            return False
        if char is not None and char in DIGITS and self._button(int(char)) is not None:
            number = int(char)
            if q.multiple:
                self._keyed += char
            self.pick(number, by_key=True)
            return True
        if self._keyed and event.key == "backspace":  # undo the last number pressed
            last, self._keyed = self._keyed[-1], self._keyed[:-1]
            button = self._button(int(last))
            if button is not None:
                button.toggle()
            return True
        if self._keyed and event.is_printable:  # words after numbers: the numbers were words too
            keyed, self._keyed = self._keyed, ""
            for digit in keyed:
                button = self._button(int(digit))
                if button is not None:
                    button.toggle()
            answer = self.query_one("#answer", Input)
            answer.value = keyed
            answer.cursor_position = len(keyed)
            return False  # the key itself is typed after them
        return False

    def submit_text(self, text: str) -> None:
        """Enter in the text box: send the words; on a tick-box question with an empty box,
        send the ticks."""
        if text.strip():
            self._keyed = ""
            self.post_message(AnswerSubmitted(text, asked=self.asked))
            return
        q = self.question
        if q is not None and q.multiple:
            self._send_ticked()
            return
        self.app.bell()

    # -- choices --

    def _button(self, number: int) -> ChoiceButton | None:
        return next((b for b in self.query(ChoiceButton) if b.number == number), None)

    def action_pick(self, number: int) -> None:
        """A number key pressed outside the text box (a choice button has the focus)."""
        button = self._button(number)
        if button is None:
            self.app.bell()
            return
        self.pick(number, by_key=True)

    def pick(self, number: int, *, by_key: bool = False) -> None:
        button = self._button(number)
        if button is None:
            return
        if button.multiple:
            button.toggle()  # the focus stays where it is: Enter in the box then sends
        else:
            self.post_message(ChoicePicked(button.number, asked=self.asked))

    @on(Button.Pressed, ".choice")
    def _choice_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        assert isinstance(event.button, ChoiceButton)
        self.pick(event.button.number)

    @on(Button.Pressed, "#send-choices")
    def _send_choices(self, event: Button.Pressed) -> None:
        event.stop()
        self._send_ticked()

    def _send_ticked(self) -> None:
        numbers = tuple(b.number for b in self.query(ChoiceButton) if b.ticked)
        if not numbers:
            self.query_one("#hint", Static).update(word("screen.tick_first"))
            self.app.bell()
            return
        self._keyed = ""
        self.post_message(ChoicesSubmitted(numbers, asked=self.asked))

    @on(Button.Pressed, "#send")
    def _send_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        answer = self.query_one("#answer", Input)
        text = answer.value
        answer.value = ""
        self.submit_text(text)
