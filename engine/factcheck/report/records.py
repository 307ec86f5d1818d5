"""Recorded tensions as the review commands show them: a table, JSON or CSV of many, one side by side,
and a verdict's history. Text passes through safe_text like every other output."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from pydantic import ValidationError
from tabulate import tabulate

from factcheck.errors import StoreError
from factcheck.model.rule import Severity
from factcheck.model.tension import Tension
from factcheck.report.html import HtmlFinding, render_html
from factcheck.report.safe_text import for_json, for_markdown, for_spreadsheet, for_terminal, safe_link
from factcheck.report.tensions import review_label
from factcheck.report.terminal import Column, Terminal, grid, wrap
from factcheck.review.store import HistoryEntry, Record
from factcheck.review.verdicts import Standing
from factcheck.tensions.ids import SHORT_ID

SIDE_BY_SIDE_MIN = 24  # narrower claim columns are hard to read: stack the claims instead


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
        "assignee": record.assignee,
        "decided_at": record.decided_at,
        "first_seen_at": record.first_seen_at,
        "last_seen_at": record.last_seen_at,
        "tension": record.snapshot,
    }


def render_records_json(records: list[Record], terminal: Terminal | None = None) -> str:
    return for_json(json.dumps([_as_dict(r) for r in records], indent=2, ensure_ascii=False))


def render_records_csv(records: list[Record], terminal: Terminal | None = None) -> str:
    """One row per recorded tension, with its verdict and, for each bound claim, who said what, when,
    where (outlet, title) and the source's URL."""
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
            "quotes",
            "sources",
            "urls",
        ]
    )
    for r in records:
        bound = r.snapshot["claims"]
        claims = ";".join(f"{c['binding']}={c['claim']}" for c in bound)
        quotes = " | ".join(f"{c['speaker']['name']} ({c['said_on']}): {c['quote']}" for c in bound)
        sources = " | ".join(
            f"{c['source']['outlet']}, {c['source']['title']} ({c['source']['published']})" for c in bound
        )
        urls = " ".join(dict.fromkeys(c["source"]["url"] for c in bound if c["source"].get("url")))
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
                    quotes,
                    sources,
                    urls,
                )
            ]
        )
    return buffer.getvalue().rstrip("\n")


def render_records_markdown(records: list[Record], terminal: Terminal | None = None) -> str:
    """A publishable list: each tension with its verdict, message and quoted claims (HTML and link syntax
    escaped)."""
    if not records:
        return "No tensions match."
    lines = ["# Tensions", ""]
    for r in records:
        state = review_label(r.review) if r.active else r.standing.value
        lines += [f"## {for_markdown(r.title)}", ""]
        lines.append(
            f"`{r.fingerprint[:SHORT_ID]}` · **{for_markdown(r.severity)}** · {for_markdown(r.rule)} · "
            f"review: **{for_markdown(state)}**"
            + (f" ({for_markdown(r.reason)})" if r.reason else "")
            + (f" by {for_markdown(r.reviewer)}" if r.reviewer else "")
        )
        lines += ["", for_markdown(r.message), ""]
        for c in r.snapshot["claims"]:
            source = c["source"]
            url = f" <{for_markdown(source['url'])}>" if safe_link(source.get("url")) else ""
            lines.append(
                f"- {for_markdown(c['speaker']['name'])}, {for_markdown(c['said_on'])} "
                f"({for_markdown(source['outlet'])}{url}): “{for_markdown(c['quote'])}”"
            )
        if r.note:
            lines += ["", f"Note: {for_markdown(r.note)}"]
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def render_records_html(records: list[Record], terminal: Terminal | None = None) -> str:
    findings = [
        HtmlFinding(
            _tension(r),
            review_label(r.review) if r.active else r.standing.value,
            r.reason,
            r.note,
            r.reviewer,
            r.decided_at,
        )
        for r in records
    ]
    return render_html(findings, "factcheck: reviewed tensions")


def _tension(record: Record) -> Tension:
    """A recorded tension's snapshot as the model it was written from."""
    try:
        return Tension.model_validate(record.snapshot)
    except ValidationError:
        raise StoreError(
            f"the review database's copy of tension {record.fingerprint[:SHORT_ID]} cannot be read as a tension",
            "run `factcheck run` to record it again, or export it as json",
        ) from None


def render_records_table(records: list[Record], terminal: Terminal | None = None) -> str:
    if not records:
        return "No tensions match."
    terminal = terminal or Terminal()
    rows = [
        [
            r.fingerprint[:SHORT_ID],
            r.severity,
            (review_label(r.review) if r.active else r.standing.value) + (f" @{r.assignee}" if r.assignee else ""),
            r.rule,
            r.speakers,
            r.reason or "",
        ]
        for r in records
    ]
    review_width = max(len("review"), *(len(row[2]) for row in rows))
    reason_width = max(len("reason"), *(len(row[5]) for row in rows))
    rest = terminal.width - SHORT_ID - len("severity") - review_width - reason_width - 5 * 2
    rule_width = max(10, min(30, rest // 2))
    speakers_width = max(10, min(40, rest - rule_width))
    styles = [terminal.styler(Severity(r.severity)) for r in records]
    columns = [
        Column("id", SHORT_ID),
        Column("severity", len("severity"), styles),
        Column("review", review_width),
        Column("rule", rule_width),
        Column("speakers", speakers_width),
        Column("reason", reason_width),
    ]
    return grid(columns, [[for_terminal(c) for c in row] for row in rows], terminal, gap_rows=False)


def render_side_by_side(record: Record, terminal: Terminal | None = None) -> str:
    """The review queue's view: the bound claims as columns, then what the rule found. It fits the
    terminal's width: the claim columns share what the label column leaves, and when that is too
    narrow to read (under SIDE_BY_SIDE_MIN a column) the claims stand one below the other."""
    terminal = terminal or Terminal()
    tension = record.snapshot
    claims = tension["claims"]
    labels = ["speaker", "said on", "outlet", "quote", "reading"]
    columns = [
        [
            c["speaker"]["name"] + (f" ({c['speaker']['role']})" if c["speaker"]["role"] else ""),
            c["said_on"],
            c["source"]["outlet"] + (f" {c['source']['url']}" if c["source"].get("url") else ""),
            f"{c['quote']} ({c['quote_kind']})",
            c["reading"],
        ]
        for c in claims
    ]
    headers = [f"{c['binding']}: {c['claim']}" for c in claims]
    # simple_grid: "│ " before each cell, " " after, and a closing "│"
    width = (terminal.width - 1 - 3 * (len(claims) + 1) - 10) // max(1, len(claims))
    if width >= SIDE_BY_SIDE_MIN:
        rows = [[label, *[column[i] for column in columns]] for i, label in enumerate(labels)]
        table = tabulate(
            [[for_terminal(cell) for cell in row] for row in rows],
            ["", *[for_terminal(h) for h in headers]],
            tablefmt="simple_grid",
            maxcolwidths=[10, *[width] * len(claims)],
            maxheadercolwidths=[10, *[width] * len(claims)],
        )
    else:
        blocks = []
        for header, column in zip(headers, columns, strict=True):
            blocks.append(terminal.bold(for_terminal(header)))
            blocks += [
                line
                for label, value in zip(labels, column, strict=True)
                for line in wrap(for_terminal(f"  {label}: {value}"), terminal.width)
            ]
        table = "\n".join(blocks)
    why = [f"  - {f['predicate']}: {f['detail']}" for f in tension["explanation"]]
    state = review_label(record.review) + (
        f" ({record.standing.value})" if record.standing is not Standing.reviewed else ""
    )
    before = [
        f"{record.fingerprint[:SHORT_ID]}  [{record.severity}] {record.rule}  review: {state}",
        record.title,
        record.message,
    ]
    after = [*(["why:", *why] if why else [])]
    if record.note:
        after.append(f"note: {record.note}")

    def wrapped(lines: list[str]) -> list[str]:
        return [part for line in lines for part in wrap(for_terminal(line), terminal.width)]

    return "\n".join([*wrapped(before), table, *wrapped(after)])


def render_history(fingerprint: str, entries: list[HistoryEntry]) -> str:
    if not entries:
        return f"{fingerprint[:SHORT_ID]}: no verdict yet."
    rows = [[e.at, e.by, e.from_status, e.to_status, e.reason or "", e.note or ""] for e in entries]
    return tabulate(
        [[for_terminal(c) for c in row] for row in rows],
        ["at", "by", "from", "to", "reason", "note"],
        tablefmt="simple",
    )
