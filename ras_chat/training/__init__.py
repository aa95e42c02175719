"""Training new staff: practice cases, replay, a debrief and "what if".

Pure: imports the engine (`ras`) and the headless dialogue, never Textual or the store.
"""

from ras_chat.training.cases import Case, case_ids, load_case, load_cases
from ras_chat.training.debrief import Debrief, debrief, debrief_lines
from ras_chat.training.replay import ReplayError, replay, start_session, transcript_lines
from ras_chat.training.whatif import BadChange, WhatIf, what_if, what_if_lines

__all__ = [
    "BadChange", "Case", "Debrief", "ReplayError", "WhatIf",
    "case_ids", "debrief", "debrief_lines", "load_case", "load_cases", "replay", "start_session",
    "transcript_lines", "what_if", "what_if_lines",
]
