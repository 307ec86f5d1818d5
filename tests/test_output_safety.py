"""Quotes are data: markup, spreadsheet formulas and terminal escapes must not act on the reader."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import MINI_ENTITIES, invoke, write

RULE = """\
rules:
  - id: any-claim
    title: t
    severity: low
    bindings:
      a: {}
    message: "{a.quote}"
"""


def test_hostile_quotes_are_neutralised(tmp_path: Path) -> None:
    write(tmp_path, "claims/base.yaml", MINI_ENTITIES)
    write(
        tmp_path,
        "claims/c.yaml",
        """\
claims:
  - {id: c1, speaker: alice, source: paper, said_on: 2021-01-01, quote_kind: direct, subject: acme,
     predicate: build, quote: "=HYPERLINK(\\"http://x\\")"}
  - {id: c2, speaker: alice, source: paper, said_on: 2021-01-01, quote_kind: direct, subject: acme,
     predicate: build, quote: "\\e[2J\\e]0;pwned\\a <script>alert(1)</script> | pipe"}
""",
    )
    write(tmp_path, "rules/r.yaml", RULE)
    table = invoke("run", cwd=tmp_path).output
    assert "\x1b" not in table and "\x07" not in table
    rows = list(csv.reader(io.StringIO(invoke("run", "--format", "csv", cwd=tmp_path).output)))
    messages = {row[4] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in messages
    markdown = invoke("run", "--format", "markdown", cwd=tmp_path).output
    assert "\\| pipe" in markdown and "\x1b" not in markdown
    # JSON keeps the data exactly; escaping is the consumer's JSON parser's job
    quotes = {t["message"] for t in json.loads(invoke("run", "--format", "json", cwd=tmp_path).output)["tensions"]}
    assert '=HYPERLINK("http://x")' in quotes
