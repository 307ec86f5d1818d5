"""Tensions as people and tools read them: a table (or Markdown), JSON, JSON Lines, CSV, and one tension
in full. Every format is deterministic (same input, same bytes) and passes text through safe_text."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping

from tabulate import tabulate

from factcheck.model.rule import Severity
from factcheck.model.tension import Tension
from factcheck.report.safe_text import for_json, for_markdown, for_spreadsheet, for_terminal
from factcheck.review.verdicts import ReviewState, Standing
from factcheck.tensions.ids import SHORT_ID

Reviews = Mapping[str, ReviewState]  # tension id -> where it stands in review


def review_label(record: ReviewState) -> str:
    """The review column: a verdict, 'open', or a warning that the verdict's inputs changed."""
    if record.standing is Standing.changed:
        return f"{record.status.value}, changed since review"
    return record.status.value


def render_table(tensions: list[Tension], reviews: Reviews | None = None, markdown: bool = False) -> str:
    if not tensions:
        return "No tensions found."
    rows = [
        [t.id[:SHORT_ID], t.severity.value, t.rule, str(_claims_behind(t)), t.speaker_names, t.message]
        for t in tensions
    ]
    headers = ["id", "severity", "rule", "claims", "speakers", "summary"]
    if reviews is not None:
        rows = [[*row[:2], review_label(reviews[t.id]), *row[2:]] for row, t in zip(rows, tensions, strict=True)]
        headers.insert(2, "review")
    if markdown:
        return tabulate([[for_markdown(cell) for cell in row] for row in rows], headers, tablefmt="github")
    rows = [[for_terminal(cell) for cell in row] for row in rows]
    widths = [None, None, 26, None, 24, 64] if reviews is None else [None, None, None, 24, None, 20, 50]
    return tabulate(rows, headers, tablefmt="simple", maxcolwidths=widths)


def render_json(tensions: list[Tension], reviews: Reviews | None = None) -> str:
    counts = {level.value: sum(1 for t in tensions if t.severity is level) for level in Severity.descending()}
    document = {
        "tensions": [t.model_dump(mode="json") for t in tensions],
        "summary": {"total": len(tensions), **counts},
    }
    return for_json(json.dumps(document, indent=2, ensure_ascii=False))


def render_jsonl(tensions: list[Tension], reviews: Reviews | None = None) -> str:
    return for_json("\n".join(json.dumps(t.model_dump(mode="json"), ensure_ascii=False) for t in tensions))


def render_csv(tensions: list[Tension], reviews: Reviews | None = None) -> str:
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
                    t.speaker_names,
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
    if len(tension.support) > 1:
        names = [c.binding for c in tension.claims]
        lines += ["", f"the same question, raised by {len(tension.support)} tuples of reports:"]
        lines += ["  " + "  ".join(f"{n}={c}" for n, c in zip(names, ids, strict=True)) for ids in tension.support]
    return for_terminal("\n".join(lines))


def _claims_behind(tension: Tension) -> int:
    """How many claims support a finding (its reports, each counted once)."""
    return len({c for ids in tension.support for c in ids}) or len(tension.claims)


def render_markdown(tensions: list[Tension], reviews: Reviews | None = None) -> str:
    return render_table(tensions, markdown=True)
