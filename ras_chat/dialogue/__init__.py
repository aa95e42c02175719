"""The conversation, headless: dialogue files as data, a `transitions` machine, a session.

    from ras_chat.dialogue import Session
    s = Session.start(policy_name="example")
    s.opening(); s.send("1")

Never imports the UI (Textual) or the store.
"""

from ras_chat.dialogue.loader import Dialogue, load_dialogue
from ras_chat.dialogue.session import Choice, Flag, Message, Session, SessionState

__all__ = ["Choice", "Dialogue", "Flag", "Message", "Session", "SessionState", "load_dialogue"]
