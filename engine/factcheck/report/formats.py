"""Output formats. Every format is deterministic (same input, same bytes) and neutralises text that
could act on the reader's tools: terminal escape sequences, and spreadsheet formulas in CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from tabulate import tabulate

from factcheck.model.tension import Tension
from factcheck.report.safe_text import for_json, for_markdown, for_spreadsheet, for_terminal
from factcheck.review.store import Record
from factcheck.review.verdicts import ReviewState, Standing

SHORT_ID = 10


def _speakers(tension: Tension) -> str:
    return ", ".join(dict.fromkeys(c.speaker.name for c in tension.claims))


def review_label(record: Record | ReviewState) -> str:
    """The review column: a verdict, 'open', or a warning that the verdict's inputs changed."""
    if record.standing is Standing.changed:
        return f"{record.status.value}, changed since review"
    return record.status.value


def render_table(tensions: list[Tension], markdown: bool = False, review: dict[str, str] | None = None) -> str:
    if not tensions:
        return "No tensions found."
    rows = [[t.id[:SHORT_ID], t.severity.value, t.rule, _speakers(t), t.message] for t in tensions]
    headers = ["id", "severity", "rule", "speakers", "summary"]
    if review is not None:
        rows = [[*row[:2], review[t.id], *row[2:]] for row, t in zip(rows, tensions, strict=True)]
        headers.insert(2, "review")
    if markdown:
        return tabulate([[for_markdown(cell) for cell in row] for row in rows], headers, tablefmt="github")
    rows = [[for_terminal(cell) for cell in row] for row in rows]
    widths = [None, None, 26, 24, 70] if review is None else [None, None, None, 24, 20, 56]
    return tabulate(rows, headers, tablefmt="simple", maxcolwidths=widths)


def render_json(tensions: list[Tension]) -> str:
    counts = {
        level: sum(1 for t in tensions if t.severity.value == level) for level in ("high", "medium", "low", "info")
    }
    document = {
        "tensions": [t.model_dump(mode="json") for t in tensions],
        "summary": {"total": len(tensions), **counts},
    }
    return for_json(json.dumps(document, indent=2, ensure_ascii=False))


def render_jsonl(tensions: list[Tension]) -> str:
    return for_json("\n".join(json.dumps(t.model_dump(mode="json"), ensure_ascii=False) for t in tensions))


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


def render_side_by_side(record: Record) -> str:
    """The review queue's view: the bound claims as columns, then what the rule found."""
    tension = record.snapshot
    claims = tension["claims"]
    rows = [
        [
            "speaker",
            *[c["speaker"]["name"] + (f" ({c['speaker']['role']})" if c["speaker"]["role"] else "") for c in claims],
        ],
        ["said on", *[c["said_on"] for c in claims]],
        ["outlet", *[c["source"]["outlet"] for c in claims]],
        ["quote", *[f"{c['quote']} ({c['quote_kind']})" for c in claims]],
        ["reading", *[c["reading"] for c in claims]],
    ]
    width = max(24, 100 // max(1, len(claims)))
    table = tabulate(
        rows,
        ["", *[f"{c['binding']}: {c['claim']}" for c in claims]],
        tablefmt="simple_grid",
        maxcolwidths=[10, *[width] * len(claims)],
    )
    why = [f"  - {f['predicate']}: {f['detail']}" for f in tension["explanation"]]
    state = review_label(record) + (f" ({record.standing.value})" if record.standing is not Standing.reviewed else "")
    lines = [
        f"{record.fingerprint[:SHORT_ID]}  [{record.severity}] {record.rule}  review: {state}",
        record.title,
        record.message,
        table,
        *(["why:", *why] if why else []),
    ]
    if record.note:
        lines.append(f"note: {record.note}")
    return for_terminal("\n".join(lines))


FORMATS: dict[str, Callable[[list[Tension]], str]] = {
    "table": render_table,
    "json": render_json,
    "jsonl": render_jsonl,
    "csv": render_csv,
    "markdown": lambda ts: render_table(ts, markdown=True),
}
