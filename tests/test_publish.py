"""What a reviewer publishes and reads: the static HTML report (self-contained, safe against hostile claim
text, readable on a phone), the terminal table (fits the width, colour only on a terminal), the review
status in every format, and `review export` in every format with --status."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import select
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import MINI_ENTITIES, invoke, mini_claim, write
from factcheck.model.rule import Severity
from factcheck.model.tension import BoundClaim, PartyRef, SourceRef, Tension
from factcheck.report.html import HtmlFinding, render_html
from factcheck.report.safe_text import safe_link
from factcheck.report.terminal import Terminal

HOSTILE = (
    '<script>alert(1)</script> "><img src=https://evil.example/x.png onerror=alert(2)> '
    "' onmouseover='alert(3) [x](javascript:alert(4)) \x1b[2J \u202eevil"
)

RULE = """\
rules:
  - id: any-claim
    title: t
    severity: high
    bindings:
      a: {}
    message: "{a.quote}"
"""


def high_finding(workspace: Path) -> str:
    """The seed corpus's high finding (Turkish staff where Russia says they will not go), by short id."""
    document = json.loads(invoke("run", "--format", "json", cwd=workspace).output)
    (high,) = [t for t in document["tensions"] if t["severity"] == "high"]
    return str(high["id"])[:10]


class Page(HTMLParser):
    """Every element with its attributes, and the text outside tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def hostile_workspace(folder: Path) -> Path:
    entities = MINI_ENTITIES.replace("name: Alice", f"name: {json.dumps('Alice ' + HOSTILE)}").replace(
        "{id: paper, outlet: Paper, title: A story, published: 2021-01-02}",
        '{id: paper, outlet: "Paper <b>", title: "A story \\" onclick=\\"x", published: 2021-01-02, '
        "url: 'https://paper.example/story?a=1&b=\"><script>'}",
    )
    write(folder, "claims/base.yaml", entities)
    write(folder, "claims/c.yaml", "claims:\n" + mini_claim("c1", quote=json.dumps(HOSTILE)))
    write(folder, "rules/r.yaml", RULE)
    return folder


def test_html_report_is_self_contained_and_safe_against_hostile_claims(tmp_path: Path) -> None:
    folder = hostile_workspace(tmp_path)
    result = invoke("run", "--format", "html", "-o", "report.html", cwd=folder)
    assert result.exit_code == 0, result.output
    html = (folder / "report.html").read_text(encoding="utf-8")
    page = parse(html)
    tags = [tag for tag, _ in page.elements]
    assert "script" not in tags and "img" not in tags and "iframe" not in tags and "link" not in tags
    assert not any(name.startswith("on") for _, attrs in page.elements for name in attrs)  # no handler escaped
    links = [
        (tag, name, value) for tag, attrs in page.elements for name, value in attrs.items() if name in ("href", "src")
    ]
    # the only URL in the page is the claim's own source link, and it is the source's URL exactly
    assert links == [("a", "href", 'https://paper.example/story?a=1&b="><script>')]
    assert not re.search(r"url\(|@import|https?://(?!paper\.example)", html.split("<body>")[0])  # CSS fetches nothing
    text = "".join(page.text)
    assert "<script>alert(1)</script>" in text  # shown as text, word for word
    assert "\x1b" not in html and "\u202e" not in html
    head = {
        (attrs.get("name") or attrs.get("http-equiv")): attrs.get("content")
        for tag, attrs in page.elements
        if tag == "meta"
    }
    assert head["viewport"] == "width=device-width, initial-scale=1"
    assert "default-src 'none'" in str(head["Content-Security-Policy"])
    assert "@media (max-width:40rem)" in html  # one column on a phone
    assert "review: open" in text


def test_javascript_and_other_urls_never_become_links() -> None:
    for url in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "//evil.example",
        "https://",
    ):
        assert safe_link(url) is None, url
    assert safe_link("https://a.example/?q=1&r=2") == "https://a.example/?q=1&amp;r=2"
    source = SourceRef(id="s", outlet="Out", title="T", url="javascript:alert(1)", published="2021")
    claim = BoundClaim(
        binding="a",
        claim="c1",
        speaker=PartyRef(id="x", name="X"),
        said_on="2021",
        quote="q",
        quote_kind="direct",
        reading="r",
        source=source,
    )
    tension = Tension(
        id="ab" * 20, rule="r", severity=Severity.low, title="t", message="m", claims=[claim], explanation=[]
    )
    page = parse(render_html([HtmlFinding(tension, "confirmed")]))
    assert not [a for tag, a in page.elements if tag == "a"]
    assert "Out" in "".join(page.text)


def test_html_shows_findings_by_severity_with_quotes_side_by_side(workspace: Path) -> None:
    PRESENCE = high_finding(workspace)
    assert invoke("review", "mark", PRESENCE, "confirmed", "--by", "ana", cwd=workspace).exit_code == 0
    html = invoke("run", "--format", "html", cwd=workspace).output
    page = parse(html)
    headings = [data for data in page.text if re.match(r"(High|Medium|Low|Info) \(\d+\)", data)]
    assert headings[0].startswith("High") and headings == sorted(
        headings, key=lambda h: -Severity(h.split()[0].lower()).rank
    )
    presence = html[html.index(f'id="t-{PRESENCE}') : html.index("</article>", html.index(f'id="t-{PRESENCE}'))]
    assert presence.count("<figure>") == 3 and "review: confirmed" in presence
    assert "Hulusi Akar, Defense Minister" in presence and "2020-12-29" in presence and "Duvar English" in presence


def test_table_fits_the_terminal_width_and_compacts_under_100_columns(workspace: Path) -> None:
    PRESENCE = high_finding(workspace)
    for columns in (60, 80, 99, 100, 140):
        out = invoke("run", cwd=workspace, env={"COLUMNS": str(columns)}).output
        widest = max(len(line) for line in out.splitlines())
        assert widest <= columns, (columns, widest)
        header = out.splitlines()[0].split()
        assert header == (
            ["sev", "id", "finding"]
            if columns < 100
            else ["id", "severity", "review", "rule", "claims", "speakers", "summary"]
        )
    compact = invoke("run", cwd=workspace, env={"COLUMNS": "80"}).output
    assert "\x1b" not in compact  # not a terminal: no colour
    # the quotes' own words under the finding, shortened, with who said them
    assert (
        '"After the construction of the joint center is' in compact
        and "Hulusi Akar, 2020-12-29, Duvar English" in compact
    )
    for command in (["show", PRESENCE], ["review", "show", PRESENCE], ["review", "list"]):
        out = invoke(*command, cwd=workspace, env={"COLUMNS": "80"}).output
        assert max(len(line) for line in out.splitlines()) <= 80, command


def test_a_rule_id_breaks_only_at_its_hyphens_in_a_narrow_table() -> None:
    from factcheck.report.tensions import render_table

    source = SourceRef(id="s", outlet="Out", title="T", url="https://a.example/", published="2021")
    claims = [
        BoundClaim(
            binding=b,
            claim=b,
            speaker=PartyRef(id=b, name=f"Speaker {b}"),
            said_on="2021",
            quote="q",
            quote_kind="direct",
            reading="r",
            source=source,
        )
        for b in ("a", "b")
    ]
    rules = ("misattribution-of-figures", "count-conflict-one-source", "contradiction")  # a 14-letter word
    tensions = [
        Tension(id=f"{i}" * 40, rule=r, severity=Severity.high, title="t", message="m", claims=claims, explanation=[])
        for i, r in enumerate(rules)
    ]
    for width in (100, 110, 140):
        lines = render_table(tensions, terminal=Terminal(width)).splitlines()
        start = lines[0].index("rule")
        cells = [line[start:].split()[0] for line in lines[2:] if line[start : start + 1].strip()]
        words = {part for rule in rules for part in rule.split("-")}
        assert cells and all(cell.strip("-") and set(cell.strip("-").split("-")) <= words for cell in cells), cells
        assert max(len(line) for line in lines) <= width


def test_colour_only_on_a_terminal_and_never_with_no_color(workspace: Path, tmp_path: Path) -> None:
    def on_a_terminal(env: dict[str, str]) -> str:
        primary, secondary = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "factcheck", "run", "--no-cache"],
            cwd=workspace,
            stdin=subprocess.DEVNULL,
            stdout=secondary,
            stderr=subprocess.PIPE,
            env={**os.environ, "COLUMNS": "120", **env},
        )
        os.close(secondary)
        chunks = []
        while True:
            ready, _, _ = select.select([primary], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(60)
        os.close(primary)
        return b"".join(chunks).decode()

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = on_a_terminal({"NO_COLOR": ""} if "NO_COLOR" in env else {})
    assert "\x1b[1;31mhigh" in coloured  # high in bold red
    assert "\x1b" not in on_a_terminal({"NO_COLOR": "1"})
    piped = subprocess.run(
        [sys.executable, "-m", "factcheck", "run", "--no-cache"],
        cwd=workspace,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "\x1b" not in piped.stdout


def test_terminal_detection_honours_columns_and_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "72")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert Terminal.detect(Tty()) == Terminal(72, True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert Terminal.detect(Tty()) == Terminal(72, False)
    assert Terminal.detect(io.StringIO()).colour is False


def test_every_run_format_carries_the_review_status(workspace: Path) -> None:
    PRESENCE = high_finding(workspace)
    invoke("review", "mark", PRESENCE, "confirmed", "--by", "ana", cwd=workspace)
    document = json.loads(invoke("run", "--format", "json", cwd=workspace).output)
    by_id = {t["id"][:10]: t for t in document["tensions"]}
    assert by_id[PRESENCE]["review"] == {"status": "confirmed", "standing": "reviewed"}
    lines = [json.loads(line) for line in invoke("run", "--format", "jsonl", cwd=workspace).output.splitlines()]
    assert {line["review"]["status"] for line in lines} == {"confirmed", "open"}
    rows = list(csv.DictReader(io.StringIO(invoke("run", "--format", "csv", cwd=workspace).output)))
    row = next(r for r in rows if r["id"].startswith(PRESENCE))
    assert row["review"] == "confirmed" and "Hulusi Akar (2020-12-29): After the construction" in row["quotes"]
    markdown = invoke("run", "--format", "markdown", cwd=workspace).output
    assert "| review" in markdown.splitlines()[0] and "confirmed" in next(
        line for line in markdown.splitlines() if PRESENCE in line
    )


def test_review_export_formats_and_status_filter(workspace: Path) -> None:
    PRESENCE = high_finding(workspace)
    invoke("review", "mark", PRESENCE, "confirmed", "--by", "ana", "--note", "checked <b>", cwd=workspace)
    confirmed = json.loads(invoke("review", "export", "--status", "confirmed", cwd=workspace).output)
    assert [r["id"][:10] for r in confirmed] == [PRESENCE]
    everything = json.loads(invoke("review", "export", cwd=workspace).output)
    assert len(everything) > 1
    rows = list(csv.DictReader(io.StringIO(invoke("review", "export", "--format", "csv", cwd=workspace).output)))
    presence = next(r for r in rows if r["id"].startswith(PRESENCE))
    assert "Ilham Aliyev" in presence["quotes"] and "Duvar English" in presence["sources"]
    assert presence["status"] == "confirmed"
    markdown = invoke("review", "export", "--format", "markdown", "--status", "confirmed", cwd=workspace).output
    assert markdown.count("\n## ") == 1 and "review: **confirmed**" in markdown and "checked &lt;b&gt;" in markdown
    html = invoke("review", "export", "--format", "html", "--status", "confirmed", cwd=workspace).output
    page = parse(html)
    assert "review: confirmed" in "".join(page.text) and "b" not in [tag for tag, _ in page.elements]
