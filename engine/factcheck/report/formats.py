"""The registry of output formats, keyed by the names commands offer (as Semgrep's formatter/ keys its
own): tensions as `run` prints them, recorded tensions as `review list` and `review export` print them."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from factcheck.model.tension import Tension
from factcheck.report.records import render_records_csv, render_records_json, render_records_table
from factcheck.report.tensions import (
    Reviews,
    render_csv,
    render_json,
    render_jsonl,
    render_markdown,
    render_table,
)
from factcheck.review.store import Record


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"


TensionRenderer = Callable[[list[Tension], Reviews | None], str]
RecordRenderer = Callable[[list[Record]], str]

TENSION_FORMATS: dict[Format, TensionRenderer] = {
    Format.table: render_table,
    Format.json: render_json,
    Format.jsonl: render_jsonl,
    Format.csv: render_csv,
    Format.markdown: render_markdown,
}
RECORD_FORMATS: dict[Format, RecordRenderer] = {
    Format.table: render_records_table,
    Format.json: render_records_json,
    Format.csv: render_records_csv,
}


def render_tensions(fmt: Format, tensions: list[Tension], reviews: Reviews | None = None) -> str:
    return TENSION_FORMATS[fmt](tensions, reviews)


def render_records(fmt: Format, records: list[Record]) -> str:
    return RECORD_FORMATS[fmt](records)
