"""The registry of output formats, keyed by the names commands offer (as Semgrep's formatter/ keys its
own): tensions as `run` prints them, recorded tensions as `review list` and `review export` print them."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from factcheck.model.tension import Tension
from factcheck.report.html import HtmlFinding, render_html
from factcheck.report.records import (
    render_records_csv,
    render_records_html,
    render_records_json,
    render_records_markdown,
    render_records_table,
)
from factcheck.report.tensions import (
    Reviews,
    render_csv,
    render_json,
    render_jsonl,
    render_markdown,
    render_table,
    review_label,
)
from factcheck.report.terminal import Terminal
from factcheck.review.store import Record


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    html = "html"
    claimreview = "claimreview"  # review export only: rated claims as schema.org ClaimReview (report/claimreview.py)


TensionRenderer = Callable[[list[Tension], Reviews | None, Terminal | None], str]
RecordRenderer = Callable[[list[Record], Terminal | None], str]


def render_run_html(tensions: list[Tension], reviews: Reviews | None = None, terminal: Terminal | None = None) -> str:
    findings = [HtmlFinding(t, review_label(reviews[t.id]) if reviews is not None else None) for t in tensions]
    return render_html(findings)


TENSION_FORMATS: dict[Format, TensionRenderer] = {
    Format.table: render_table,
    Format.json: render_json,
    Format.jsonl: render_jsonl,
    Format.csv: render_csv,
    Format.markdown: render_markdown,
    Format.html: render_run_html,
}
RECORD_FORMATS: dict[Format, RecordRenderer] = {
    Format.table: render_records_table,
    Format.json: render_records_json,
    Format.csv: render_records_csv,
    Format.markdown: render_records_markdown,
    Format.html: render_records_html,
}


def render_tensions(
    fmt: Format, tensions: list[Tension], reviews: Reviews | None = None, terminal: Terminal | None = None
) -> str:
    return TENSION_FORMATS[fmt](tensions, reviews, terminal)


def render_records(fmt: Format, records: list[Record], terminal: Terminal | None = None) -> str:
    return RECORD_FORMATS[fmt](records, terminal)
