"""Make text safe to keep and to show on a terminal. Pure functions, no I/O.

What a person types (or pastes) can carry terminal escape sequences: a pasted
`ESC ] 0 ; title BEL` retitles a worker's terminal, `ESC [ 31 m` recolours it. Before an
answer is stored or shown:

- escape sequences are removed whole: CSI (`ESC [` or C1 `0x9B` ... final byte), OSC
  (`ESC ]` or `0x9D` ... BEL or ST; unterminated, only the introducer goes), DCS / SOS / PM / APC (`ESC P`, `ESC X`, `ESC ^`,
  `ESC _` or their C1 forms ... ST), and two-character escapes (`ESC c`, `ESC 7`, ...);
- every other C0 and C1 control character becomes a space, except newline and tab,
  which are kept (the session then makes an answer one line);
- explicit bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069) are
  removed: they can make text show in a different order from how it is stored. Right-to-
  left scripts need none of them and are kept as they are, with the ordinary marks
  (U+200E, U+200F, U+061C);
- a lone surrogate (not valid UTF-8) becomes U+FFFD;
- everything else is kept intact: other scripts, emoji and their joiners, combining marks.

`shorten` cuts a long paste at a character limit without splitting a letter from its
combining marks.
"""

from __future__ import annotations

import re
import unicodedata

ESC = "\x1b"

# A string sequence ends at BEL or ST (ESC \ or 0x9C). An unterminated one loses only its
# introducer (the words after it are kept, harmless once the ESC is gone).
_STRING_END = r"(?:\x07|\x1b\\|\x9c)"
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # CSI: parameters, intermediates, final byte
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[\s\S]*?" + _STRING_END  # OSC, DCS, SOS, PM, APC
    + r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"  # other escapes: ESC (intermediates) final
)
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_KEEP = frozenset("\n\t")


def strip_escapes(text: str) -> str:
    """Remove terminal escape sequences whole (not just their ESC byte)."""
    if ESC not in text and not any("\x80" <= ch <= "\x9f" for ch in text):
        return text
    return _ESCAPES.sub("", text)


def clean_text(text: str) -> str:
    """Text made safe to store and show: no escapes, no control characters (newline and
    tab kept), no bidi overrides, no lone surrogates. Unicode otherwise untouched."""
    if not isinstance(text, str):
        text = str(text)
    text = strip_escapes(text.replace("\r\n", "\n"))
    out: list[str] = []
    for ch in text:
        if ch in _KEEP:
            out.append(ch)
        elif ch < " " or "\x7f" <= ch <= "\x9f":
            out.append("\n" if ch == "\r" else " ")
        elif ch in _BIDI_CONTROLS:
            continue
        elif ch in "\u2028\u2029":
            out.append("\n")
        elif "\ud800" <= ch <= "\udfff":
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def has_unsafe(text: str) -> bool:
    """True when `clean_text` would change this text (a data file line must not need it)."""
    return clean_text(text) != text.replace("\r\n", "\n")


def one_line(text: str) -> str:
    """Runs of white space (newlines and tabs included) as one space, ends trimmed."""
    return " ".join(text.split())


def shorten(text: str, limit: int) -> tuple[str, bool]:
    """At most `limit` characters (plus "..." when cut); True when it was cut.

    The cut never leaves a combining mark, a joiner or a variation selector without the
    letter or emoji before it: it moves back to the start of that cluster."""
    if len(text) <= limit:
        return text, False
    cut = limit
    while cut > 0 and (unicodedata.category(text[cut]).startswith("M") or text[cut] in "\u200d\ufe0e\ufe0f" or text[cut - 1] == "\u200d"):
        cut -= 1
    return text[:cut].rstrip() + "...", True


def clean_answer(text: str, limit: int) -> tuple[str, bool]:
    """A person's answer as the session keeps it: cleaned, one line, at most `limit`
    characters. Returns (text, shortened)."""
    return shorten(one_line(clean_text(text)), limit)


__all__ = ["clean_answer", "clean_text", "has_unsafe", "one_line", "shorten", "strip_escapes"]
