"""Recorded tensions as the review commands show them: a table, JSON or CSV of many, one side by side,
and a verdict's history. Text passes through safe_text like every other output."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tabulate import tabulate

from factcheck.report.safe_text import for_json, for_spreadsheet, for_terminal
from factcheck.report.tensions import review_label
from factcheck.review.store import HistoryEntry, Record
from factcheck.review.verdicts import Standing
from factcheck.tensions.ids import SHORT_ID


def _as_dict(record: Record) -> dict[str, Any]:
    return {
        "id": record.fingerprint,
        "rule": record.rule,
        "severity": record.severity,
        "status": record.status.value,
        "standing": record.standing.value,
        "reason": record.reason,
        "note": record.note,
        "reviewer": record.reviewer,
        "decided_at": record.decided_at,
        "first_seen_at": record.first_seen_at,
        "last_seen_at": record.last_seen_at,
        "tension": record.snapshot,
    }


def render_records_json(records: list[Record]) -> str:
    return for_json(json.dumps([_as_dict(r) for r in records], indent=2, ensure_ascii=False))


def render_records_csv(records: list[Record]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "id",
            "rule",
            "severity",
            "status",
            "standing",
            "reason",
            "note",
            "reviewer",
            "decided_at",
            "speakers",
            "claims",
            "message",
        ]
    )
    for r in records:
        claims = ";".join(f"{c['binding']}={c['claim']}" for c in r.snapshot["claims"])
        writer.writerow(
            [
                for_spreadsheet(str(v or ""))
                for v in (
                    r.fingerprint,
                    r.rule,
                    r.severity,
                    r.status.value,
                    r.standing.value,
                    r.reason,
                    r.note,
                    r.reviewer,
                    r.decided_at,
                    r.speakers,
                    claims,
                    r.message,
                )
            ]
        )
    return buffer.getvalue().rstrip("\n")


def render_records_table(records: list[Record]) -> str:
    if not records:
        return "No tensions match."
    rows = [
        [
            r.fingerprint[:SHORT_ID],
            r.severity,
            review_label(r.review) if r.active else r.standing.value,
            r.rule,
            r.speakers,
            r.reason or "",
        ]
        for r in records
    ]
    return tabulate(
        [[for_terminal(c) for c in row] for row in rows],
        ["id", "severity", "review", "rule", "speakers", "reason"],
        tablefmt="simple",
        maxcolwidths=[None, None, 30, 30, 30, None],
    )


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
    state = review_label(record.review) + (
        f" ({record.standing.value})" if record.standing is not Standing.reviewed else ""
    )
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


def render_history(fingerprint: str, entries: list[HistoryEntry]) -> str:
    if not entries:
        return f"{fingerprint[:SHORT_ID]}: no verdict yet."
    rows = [[e.at, e.by, e.from_status, e.to_status, e.reason or "", e.note or ""] for e in entries]
    return tabulate(
        [[for_terminal(c) for c in row] for row in rows],
        ["at", "by", "from", "to", "reason", "note"],
        tablefmt="simple",
    )
