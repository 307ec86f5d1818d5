"""Quotes are data: markup, spreadsheet formulas and terminal escapes must not act on the reader."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from conftest import MINI_ENTITIES, invoke, mini_claim, write

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
     predicate: fund, quote: "\\e[2J\\e]0;pwned\\a <script>alert(1)</script> | pipe"}
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


HOSTILE = (
    "\x1b]0;pwned\x07 \u009b31m \u009d8;;x \u202eevil\u202c \x1b[2J <script>alert(1)</script> [x](javascript:alert(1))"
)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def test_no_command_lets_control_or_bidi_characters_reach_the_reader(tmp_path: Path) -> None:
    """Every output of every command, whatever the corpus holds in names, quotes, notes and titles."""
    entities = MINI_ENTITIES.replace("name: Alice", f"name: {json.dumps('Alice ' + HOSTILE)}")
    write(tmp_path, "claims/base.yaml", entities)
    write(tmp_path, "claims/c.yaml", "claims:\n" + mini_claim("c1", quote=json.dumps("＝HYPERLINK(1) " + HOSTILE)))
    write(tmp_path, "rules/r.yaml", RULE.replace("title: t", f"title: {json.dumps('t ' + HOSTILE)}"))
    run = invoke("run", cwd=tmp_path)
    tension = next(line.split()[0] for line in run.output.splitlines() if re.match(r"[0-9a-f]{10} ", line))
    commands = [["run", "--format", fmt] for fmt in ("table", "json", "jsonl", "csv", "markdown", "html")] + [
        ["show", tension],
        ["review", "list"],
        ["review", "show", tension],
        ["review", "export", "--format", "json"],
        ["review", "export", "--format", "csv"],
        ["review", "mark", tension, "confirmed", "--by", HOSTILE, "--note", HOSTILE],
        ["review", "export", "--format", "markdown"],
        ["review", "export", "--format", "html"],
        ["review", "history", tension],
        ["rules", "list"],
        ["rules", "validate"],
        ["rules", "explain", "any-claim", "a=c1"],
    ]
    for command in commands:
        result = invoke(*command, cwd=tmp_path)
        assert result.exit_code in (0, 1), (command, result.output)
        assert not UNSAFE.search(result.output), (command, UNSAFE.findall(result.output))
        if command[-1] == "markdown":
            assert "<script>" not in result.output and "&lt;script&gt;" in result.output
            assert not re.search(r"(?<!\\)\]\(javascript:", result.output)  # [x](...) only as escaped text
        if command[-1] == "html":
            assert "<script>" not in result.output and "&lt;script&gt;" in result.output
            assert "javascript:" not in re.sub(r"&[a-z]+;", "", " ".join(re.findall(r'href="([^"]*)"', result.output)))
        if command[-1] == "csv":
            assert "'＝HYPERLINK(1)" in result.output
    # JSON escapes them, so the data read back is exact
    document = json.loads(invoke("run", "--format", "json", cwd=tmp_path).output)
    assert document["tensions"][0]["claims"][0]["quote"] == "＝HYPERLINK(1) " + HOSTILE
