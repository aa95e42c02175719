"""Training new staff: practice cases, replay, a debrief and "what if".

Pure: imports the engine (`ras`) and the headless dialogue, never Textual or the store.
"""

from ras_chat.training.cases import Case, case_ids, load_case, load_cases
from ras_chat.training.debrief import Debrief, debrief, debrief_lines
from ras_chat.training.replay import ReplayError, replay, start_session, transcript_lines
from ras_chat.training.whatif import Answer, BadChange, WhatIf, heard_answers, what_if, what_if_lines, what_if_text

__all__ = [
    "Answer", "BadChange", "Case", "Debrief", "ReplayError", "WhatIf",
    "case_ids", "debrief", "debrief_lines", "heard_answers", "load_case", "load_cases", "replay", "start_session",
    "transcript_lines", "what_if", "what_if_lines", "what_if_text",
]
