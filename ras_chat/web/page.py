"""What a web page shows of a conversation (`Page`, made by `page_of`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Page:
    """A conversation as a page shows it: every field comes from the session as it is."""

    session: Any
    history: list[Any]
    question: Any | None
    error: str | None
    summary: list[Any]
    news: list[Any]
    turn: int
    progress: str | None

    @property
    def split(self) -> int:
        """Where the latest exchange starts in `history`: the question last answered."""
        asked = [i for i, m in enumerate(self.history) if m.kind == "question"]
        return asked[-1] if asked else 0

    @property
    def earlier(self) -> list[tuple[int, Any]]:
        """(number in the transcript, message) before the latest exchange."""
        return [(i + 1, m) for i, m in enumerate(self.history[: self.split]) if m.role != "person" or m.text]

    @property
    def recent(self) -> list[tuple[int, Any]]:
        """(number in the transcript, message) from the question last answered; on "check
        your answers" the summary is left out here, as it is shown as a card."""
        last_person = max((i for i, m in enumerate(self.history) if m.role == "person"), default=-1)
        return [
            (i + 1, m)
            for i, m in enumerate(self.history)
            if i >= self.split
            and not (self.summary and m.kind == "summary")
            # the latest error is shown as the error summary and beside the field, not a third time
            and not (self.error and i > last_person and m.kind == "error")
            and not (m.role == "person" and not m.text)  # an empty answer has nothing to show
        ]

    @property
    def title(self) -> str:
        return self.question.text if self.question is not None else ""


def page_of(session: Any) -> Page:
    messages = list(session.state.transcript)
    question = session.current_question
    history = messages
    if question is not None and messages and messages[-1].kind == "question":
        history = messages[:-1]
    last_person = max((i for i, m in enumerate(messages) if m.role == "person"), default=-1)
    latest = messages[last_person + 1 :]
    errors = [m.text for m in latest if m.kind == "error"]
    summary = [m for m in latest if m.kind == "summary"] if question is not None else []
    news = [m for m in latest if m.kind not in ("question", "summary") and m.role == "assistant"]
    return Page(
        session=session,
        history=history,
        question=question,
        error=errors[-1] if errors else None,
        summary=summary,
        news=news,
        turn=len(messages),
        progress=session.progress()[2] if not session.finished else None,
    )
