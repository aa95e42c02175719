"""For a council's finance team: calibrate the tables on past cases, simulate a change,
make up a history for demonstrations, and draw the results.

Separate from the per-person engine but built on it: every figure comes from a
`PolicyAt`, amounts are the engine's own (checked to the penny by the tests), and
nothing here reads the clock. numpy does the work over many cases at once;
matplotlib is imported only when a picture is asked for.
"""

from ras.finance.history import History, Problem, parse_history, read_history

__all__ = ["History", "Problem", "parse_history", "read_history"]
