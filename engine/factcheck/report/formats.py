"""Output formats. Every format is deterministic (same input, same bytes) and neutralises text that
could act on the reader's tools: terminal escape sequences, and spreadsheet formulas in CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable

from tabulate import tabulate

from factcheck.model.tension import Tension

SHORT_ID = 10
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_terminal(text: str) -> str:
    """Drop control characters (ESC sequences could recolour or rewrite the user's terminal)."""
    return _CONTROL.sub("\ufffd", text)


def for_spreadsheet(text: str) -> str:
    """Cells starting like a formula are prefixed with ' so spreadsheets show them as text."""
    text = for_terminal(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _speakers(tension: Tension) -> str:
    return ", ".join(dict.fromkeys(c.speaker.name for c in tension.claims))


def render_table(tensions: list[Tension], markdown: bool = False) -> str:
    if not tensions:
        return "No tensions found."
    rows = [[t.id[:SHORT_ID], t.severity.value, t.rule, _speakers(t), t.message] for t in tensions]
    rows = [[for_terminal(cell) for cell in row] for row in rows]
    headers = ["id", "severity", "rule", "speakers", "summary"]
    if markdown:
        rows = [[cell.replace("|", "\\|").replace("\n", " ") for cell in row] for row in rows]
        return tabulate(rows, headers, tablefmt="github")
    return tabulate(rows, headers, tablefmt="simple", maxcolwidths=[None, None, 26, 24, 70])


def render_json(tensions: list[Tension]) -> str:
    counts = {
        level: sum(1 for t in tensions if t.severity.value == level) for level in ("high", "medium", "low", "info")
    }
    document = {
        "tensions": [t.model_dump(mode="json") for t in tensions],
        "summary": {"total": len(tensions), **counts},
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def render_jsonl(tensions: list[Tension]) -> str:
    return "\n".join(json.dumps(t.model_dump(mode="json"), ensure_ascii=False) for t in tensions)


def render_csv(tensions: list[Tension]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "severity", "rule", "title", "message", "claims", "speakers", "explanation"])
    for t in tensions:
        writer.writerow(
            [
                for_spreadsheet(cell)
                for cell in (
                    t.id,
                    t.severity.value,
                    t.rule,
                    t.title,
                    t.message,
                    ";".join(f"{c.binding}={c.claim}" for c in t.claims),
                    _speakers(t),
                    "; ".join(f.detail for f in t.explanation),
                )
            ]
        )
    return buffer.getvalue().rstrip("\n")


def render_detail(tension: Tension) -> str:
    """One tension in full, for `factcheck show`."""
    lines = [
        f"{tension.id}  [{tension.severity.value}] {tension.rule}",
        tension.title,
        "",
        tension.message,
        "",
    ]
    for c in tension.claims:
        role = f", {c.speaker.role}" if c.speaker.role else ""
        lines += [
            f"{c.binding}: {c.claim}  {c.speaker.name}{role}  said {c.said_on}  ({c.quote_kind})",
            f'    "{c.quote}"',
            f"    reading: {c.reading}",
            f'    source: {c.source.outlet}, "{c.source.title}" ({c.source.published}) {c.source.url or ""}'.rstrip(),
        ]
    if tension.explanation:
        lines += ["", "why:"] + [f"  - {f.predicate}: {f.detail}" for f in tension.explanation]
    return for_terminal("\n".join(lines))


FORMATS: dict[str, Callable[[list[Tension]], str]] = {
    "table": render_table,
    "json": render_json,
    "jsonl": render_jsonl,
    "csv": render_csv,
    "markdown": lambda ts: render_table(ts, markdown=True),
}
