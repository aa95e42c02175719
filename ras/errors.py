"""One-line messages for invalid input, shared by every command that reads records."""

from __future__ import annotations

from pydantic import ValidationError


def validation_message(exc: ValidationError) -> str:
    """One line naming the first field at fault."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-"))
    loc = loc.replace("schema_", "schema")
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        msg = "unknown field"
    elif kind == "missing":
        msg = "required field is missing"
    elif kind == "literal_error":
        msg = err["msg"].replace("Input should be", "should be")
    else:
        msg = err["msg"][0].lower() + err["msg"][1:]
    if kind not in ("extra_forbidden", "missing") and isinstance(err.get("input"), (str, int, float)):
        given = repr(err["input"])  # name the wrong value, not only where it is
        msg += f", not {given if len(given) <= 40 else given[:37] + '...'}"
    more = len(exc.errors()) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{loc}: {msg}{tail}" if loc else f"{msg}{tail}"
