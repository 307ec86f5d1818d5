"""Text from claims, rules and stores is data: it must not act on the tools it is shown in.

- a terminal: C0/C1 control characters (ESC/CSI/OSC sequences recolour, retitle or rewrite it) and
  bidirectional overrides (U+202E makes text read backwards, hiding what it says);
- one error line: a newline inside an echoed id must not split it in two;
- JSON: the same characters stay exactly the data but are written as \\u escapes;
- spreadsheets: cells that start like a formula, fullwidth forms (＝) included;
- Markdown: raw HTML (<script>) and link syntax ([x](javascript:...));
- HTML: markup and attribute breakouts (every character that could end text or an attribute value is an
  entity) and links: only http(s) URLs become links (javascript:, data:, vbscript: never do).
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

# C0 but tab and newline, DEL, C1; bidi embeddings, overrides, isolates and marks
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_TERMINAL = re.compile(f"[{_UNSAFE}]")
_ONE_LINE = re.compile(f"[{_UNSAFE}\t\n\u2028\u2029]")
_JSON = re.compile(f"[{_UNSAFE}\u2028\u2029]")  # json.dumps escapes C0 itself
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN = re.compile(r"([\\`*_\[\]|])")  # emphasis, code, links and cell ends; HTML is escaped apart
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def for_terminal(text: str) -> str:
    """Control and bidi characters become U+FFFD; line breaks and tabs stay."""
    return _TERMINAL.sub("\ufffd", text)


def one_line(text: str) -> str:
    """For a message that must stay one line: unsafe characters and line breaks written as escapes
    (\\n, \\x1b, \\u202e), so the reader sees what the input holds."""
    return _ONE_LINE.sub(_escape, text)


def for_json(text: str) -> str:
    """Serialised JSON with the characters a terminal or a browser would act on written as \\u escapes
    (they only occur inside strings, so the data read back is unchanged)."""
    return _JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def for_spreadsheet(text: str) -> str:
    """Cells starting like a formula are prefixed with ' so spreadsheets show them as text."""
    text = for_terminal(text)
    start = unicodedata.normalize("NFKC", text.lstrip(" \u3000")[:1])  # fullwidth ＝ reads as =
    return "'" + text if start.startswith(_FORMULA_START) else text


def for_markdown(text: str) -> str:
    """Text inside a Markdown table cell: no HTML, no links or emphasis, no line breaks."""
    text = for_terminal(text).replace("\n", " ").replace("\t", " ")
    text = "".join(_HTML.get(ch, ch) for ch in text)
    return _MARKDOWN.sub(r"\\\1", text)


def for_html(text: str) -> str:
    """Text or an attribute value inside HTML: control and bidi characters replaced, then & < > " '
    written as entities."""
    return html.escape(for_terminal(text), quote=True)


def safe_link(url: str | None) -> str | None:
    """A URL fit for href, escaped for the attribute, or None: only absolute http(s) URLs with a host, and
    nothing with whitespace or control characters in it."""
    if not url or _TERMINAL.search(url) or any(ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return html.escape(url, quote=True)


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    if ch in named:
        return named[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
