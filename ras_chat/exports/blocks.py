"""Blocks of text (headings, paragraphs, quotes, lists, tables) and their two renderings,
Markdown and HTML, so every piece of text passes through one escaping function per
format (what a person typed can never become markup). The letter and the worker's
summary are both built as blocks."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field


@dataclass
class Block:
    kind: str  # h1 h2 p quote ol ul table
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def md_escape(text: str) -> str:
    """Inline text that Markdown shows as written: no emphasis, links, tables or raw HTML."""
    text = _MD_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", " ").replace("\n", " ")


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "h1":
            out += [f"# {md_escape(b.text)}", ""]
        elif b.kind == "h2":
            out += [f"## {md_escape(b.text)}", ""]
        elif b.kind == "p":
            out += [md_escape(b.text), ""]
        elif b.kind == "quote":
            out += [f"> {md_escape(b.text)}", ""]
        elif b.kind == "ol":
            out += [f"{n}. {md_escape(t)}" for n, t in enumerate(b.items, 1)] + [""]
        elif b.kind == "ul":
            out += [f"- {md_escape(t)}" for t in b.items] + [""]
        elif b.kind == "table":
            head, *rows = b.rows
            out.append("| " + " | ".join(md_escape(c) for c in head) + " |")
            out.append("|" + "|".join("---" for _ in head) + "|")
            out += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
            out.append("")
    return "\n".join(out)


def to_html_body(blocks: list[Block]) -> str:
    e = html.escape
    out: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "p"):
            out.append(f"<{b.kind}>{e(b.text)}</{b.kind}>")
        elif b.kind == "quote":
            out.append(f"<blockquote>{e(b.text)}</blockquote>")
        elif b.kind in ("ol", "ul"):
            out.append(f"<{b.kind}>" + "".join(f"<li>{e(t)}</li>" for t in b.items) + f"</{b.kind}>")
        elif b.kind == "table":
            head, *rows = b.rows
            out.append(
                "<table><thead><tr>"
                + "".join(f'<th scope="col">{e(c)}</th>' for c in head)
                + "</tr></thead><tbody>"
                + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
                + "</tbody></table>"
            )
    return "\n".join(out)


CSS = (
    "body{font-family:system-ui,sans-serif;font-size:1.15rem;line-height:1.6;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#111}"
    "blockquote{border-left:4px solid #555;margin:1rem 0;padding:.25rem 1rem;background:#f4f4f4}"
    "table{border-collapse:collapse;font-size:1rem}td,th{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}"
    "section.worker{border-top:3px double #333;margin-top:3rem;font-size:1rem}"
    "@media print{section.worker{break-before:page}}"
)

