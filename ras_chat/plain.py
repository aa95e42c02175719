"""Plain line mode: the whole conversation as lines of text, for screen readers and pipes.

No colour, no cursor movement, no box drawing. "Assistant:" and "You:" labels; choices
as numbered lines, answered by number or by words. End of input stops politely and says
how to carry on; at the hand-off the summary is printed and the program exits 0.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import TextIO

from ras_chat.app.summary import handoff_summary
from ras_chat.dialogue.catalogue import say
from ras_chat.dialogue.session import Message, Session

OnTurn = Callable[[Session, list[Message]], None]


def tolerant_input(stdin: TextIO) -> TextIO:
    """Read standard input so that bytes that are not valid text become U+FFFD instead of
    stopping the program: the line still reaches the conversation, and the lines after it
    (read in the same chunk) are not lost."""
    reconfigure = getattr(stdin, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError, io.UnsupportedOperation, TypeError):
            pass
    return stdin


def clean_line(line: str) -> str:
    """One line as typed, without its line ending; lone surrogates (a stream decoded with
    surrogateescape) become U+FFFD, as other undecodable bytes do."""
    line = line.rstrip("\r\n")
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        line = line.encode("utf-8", "replace").decode("utf-8")  # any surrogate left
    return line


def format_message(message: Message) -> list[str]:
    """The lines for one message (no escapes, no colour)."""
    if message.role == "person":
        return []  # the person's own line is already on screen (or in the pipe)
    lines = [f"Assistant: {message.text}"]
    for choice in message.choices:
        lines.append(f"  {choice.number}. {choice.label}")
    return lines


def run_plain(
    session: Session,
    *,
    stdin: TextIO,
    stdout: TextIO,
    on_turn: OnTurn | None = None,
    resume_hint: str | None = None,
    echo: bool | None = None,
) -> int:
    """Drive `session` line by line. `on_turn(session, new_messages)` is called after every turn
    (the opening included): that is where saving plugs in. Returns the exit status.

    `echo` repeats each answer after "You: " (default: when input is not a terminal, so a
    piped transcript reads as a conversation)."""
    stdin = tolerant_input(stdin)
    if echo is None:
        try:
            echo = not stdin.isatty()
        except (AttributeError, ValueError):
            echo = True

    def emit(lines: Iterable[str]) -> None:
        for line in lines:
            stdout.write(line + "\n")
        stdout.flush()

    opening = session.opening()
    if on_turn:
        on_turn(session, opening)
    for m in opening:
        emit(format_message(m))
    while not session.finished:
        stdout.write("You: ")
        stdout.flush()
        try:
            line = stdin.readline()
        except UnicodeDecodeError:  # a stream that could not be told to replace bad bytes
            line = "\ufffd\n"
        if line == "":  # end of input: stop, keep what we have, say how to carry on
            stdout.write("\n")
            emit([f"Assistant: {say('plain.stopped')}", f"Assistant: {resume_hint or say('plain.not_saved')}"])
            return 0
        replies = session.send(clean_line(line))
        if echo:  # the words as the session kept them: control characters removed
            stdout.write(replies[0].text + "\n")
        if on_turn:
            on_turn(session, replies)
        for m in replies:
            emit(format_message(m))
    emit(handoff_summary(session))
    return 0
