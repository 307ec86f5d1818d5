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
from factcheck.report.terminal import GAP, Column, Terminal, grid, shorten, wrap
from factcheck.review.verdicts import ReviewState, Standing
from factcheck.tensions.ids import SHORT_ID

Reviews = Mapping[str, ReviewState]  # tension id -> where it stands in review


def review_label(record: ReviewState) -> str:
    """The review column: a verdict, 'open', or a warning that the verdict's inputs changed."""
    if record.standing is Standing.changed:
        return f"{record.status.value}, changed since review"
    return record.status.value


def render_table(tensions: list[Tension], reviews: Reviews | None = None, terminal: Terminal | None = None) -> str:
    """The run as a terminal table that fits its width: under COMPACT_BELOW columns, severity, id and one
    wrapped column (rule, review, speakers, message); wider, a column each. Under every message, the
    bound claims' own words, shortened, with who said them and when. Flags about one claim (how it was
    attributed) come after the tensions between claims, in a table of their own."""
    if not tensions:
        return "No tensions found."
    terminal = terminal or Terminal()
    between = [t for t in tensions if len(t.claims) > 1]
    flags = [t for t in tensions if len(t.claims) == 1]
    counts = "\n".join(wrap(_counts(tensions), terminal.width))
    if not between or not flags:
        return f"{_grid(tensions, reviews, terminal)}\n\n{counts}"
    return (
        f"{_grid(between, reviews, terminal)}\n\n{terminal.bold('Flags about one claim (attribution)')}\n\n"
        f"{_grid(flags, reviews, terminal)}\n\n{counts}"
    )


def _grid(tensions: list[Tension], reviews: Reviews | None, terminal: Terminal) -> str:
    styles = [terminal.styler(t.severity) for t in tensions]
    if terminal.compact:
        summary = max(20, terminal.width - SHORT_ID - len("medium") - 2 * len(GAP))
        rows = [
            [
                t.severity.value,
                t.id[:SHORT_ID],
                "\n".join(
                    [
                        " · ".join(
                            [t.rule, *([review_label(reviews[t.id])] if reviews is not None else []), t.speaker_names]
                        ),
                        t.message,
                        *_quote_lines(t, summary),
                    ]
                ),
            ]
            for t in tensions
        ]
        columns = [Column("sev", len("medium"), styles), Column("id", SHORT_ID), Column("finding", summary)]
    else:
        labels = [review_label(reviews[t.id]) for t in tensions] if reviews is not None else None
        review_width = max(len("review"), *(len(label) for label in labels)) if labels else 0
        fixed = SHORT_ID + len("severity") + len("claims") + (review_width + len(GAP) if labels else 0)
        rule_width, speakers_width = 26, 22
        summary = terminal.width - fixed - rule_width - speakers_width - 5 * len(GAP)
        if summary < 40:  # give the summary room before the rule and speaker columns
            rule_width = speakers_width = max(12, (terminal.width - fixed - 40 - 5 * len(GAP)) // 2)
            # a rule id breaks only at its hyphens ("contradiction" whole, not "contradictio" / "n")
            longest = max(len(part) for t in tensions for part in t.rule.split("-"))
            if longest > rule_width:
                speakers_width -= min(longest - rule_width, speakers_width - 10)
                rule_width = longest
            summary = max(20, terminal.width - fixed - rule_width - speakers_width - 5 * len(GAP))
        rows = []
        for i, t in enumerate(tensions):
            row = [t.id[:SHORT_ID], t.severity.value]
            if labels:
                row.append(labels[i])
            row += [
                t.rule,
                str(_claims_behind(t)).rjust(len("claims")),
                t.speaker_names,
                "\n".join([t.message, *_quote_lines(t, summary)]),
            ]
            rows.append(row)
        columns = [Column("id", SHORT_ID), Column("severity", len("severity"), styles)]
        if labels:
            columns.append(Column("review", review_width))
        columns += [
            Column("rule", rule_width),
            Column("claims", len("claims")),
            Column("speakers", speakers_width),
            Column("summary", summary),
        ]
    return grid(columns, [[for_terminal(cell) for cell in row] for row in rows], terminal)


def _quote_lines(tension: Tension, width: int) -> list[str]:
    """Each bound claim's words, shortened to one line of the column, then who said them and when."""
    lines = []
    for c in tension.claims:
        lines.append(f'  "{shorten(c.quote, width - 4)}"')
        lines.append(f"    {c.speaker.name}, {c.said_on}, {c.source.outlet}")
    return lines


def _counts(tensions: list[Tension]) -> str:
    levels = Severity.descending()
    counts = [f"{n} {level.value}" for level in levels if (n := sum(t.severity is level for t in tensions))]
    flags = sum(len(t.claims) == 1 for t in tensions)
    apart = f"; {flags} about one claim" if flags and flags < len(tensions) else ""
    return f"{len(tensions)} tension(s): {', '.join(counts)}{apart}"


def render_markdown_table(tensions: list[Tension], reviews: Reviews | None = None) -> str:
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
    return tabulate([[for_markdown(cell) for cell in row] for row in rows], headers, tablefmt="github")


def _review_json(tension: Tension, reviews: Reviews | None) -> dict[str, object]:
    document: dict[str, object] = tension.model_dump(mode="json")
    if reviews is not None:
        state = reviews[tension.id]
        document["review"] = {"status": state.status.value, "standing": state.standing.value}
    return document


def render_json(tensions: list[Tension], reviews: Reviews | None = None, terminal: Terminal | None = None) -> str:
    counts = {level.value: sum(1 for t in tensions if t.severity is level) for level in Severity.descending()}
    document = {
        "tensions": [_review_json(t, reviews) for t in tensions],
        "summary": {"total": len(tensions), **counts},
    }
    return for_json(json.dumps(document, indent=2, ensure_ascii=False))


def render_jsonl(tensions: list[Tension], reviews: Reviews | None = None, terminal: Terminal | None = None) -> str:
    return for_json("\n".join(json.dumps(_review_json(t, reviews), ensure_ascii=False) for t in tensions))


def render_csv(tensions: list[Tension], reviews: Reviews | None = None, terminal: Terminal | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["id", "severity", "rule", "title", "message", "claims", "speakers", "explanation", "review", "quotes"]
    )
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
                    review_label(reviews[t.id]) if reviews is not None else "",
                    " | ".join(f"{c.speaker.name} ({c.said_on}): {c.quote}" for c in t.claims),
                )
            ]
        )
    return buffer.getvalue().rstrip("\n")


def render_detail(tension: Tension, terminal: Terminal | None = None) -> str:
    """One tension in full, for `factcheck show`, wrapped to the terminal's width."""
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
    width = (terminal or Terminal()).width
    return for_terminal("\n".join(wrapped for line in lines for wrapped in wrap(line, width)))


def _claims_behind(tension: Tension) -> int:
    """How many claims support a finding (its reports, each counted once)."""
    return len({c for ids in tension.support for c in ids}) or len(tension.claims)


def render_markdown(tensions: list[Tension], reviews: Reviews | None = None, terminal: Terminal | None = None) -> str:
    return render_markdown_table(tensions, reviews)
