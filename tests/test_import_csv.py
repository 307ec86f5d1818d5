"""`factcheck import csv`: spreadsheet rows into claims as the map says, errors at file:line:column."""

from __future__ import annotations

from pathlib import Path

from conftest import invoke, write
from factcheck.load.corpus import Undeclared, load_corpus

MAP = """\
fields:
  id: Ref
  speaker: Speaker
  speaker.kind: {value: person}
  speaker.role: Role
  said_on: {column: Date, format: "%d/%m/%Y"}
  quote: Statement
  quote_kind: {value: direct}
  source.outlet: Outlet
  source.title: Headline
  source.url: Link
  topics: {column: Tags, split: ";"}
  qualifiers.count: Figure
"""

ROWS = """\
Ref,Speaker,Role,Date,Statement,Outlet,Headline,Link,Tags,Figure
r1,Jane Roe,Mayor,04/03/2021,"The bridge cost 3,000,000 euros.",City Paper,Mayor on the bridge,https://city.example/a,budget; bridge,"3,000,000"
r2,John Poe,,05/03/2021,"=HYPERLINK(""http://x"") <script>alert(1)</script>",City Paper,Mayor on the bridge,https://city.example/a,budget,
"""


def test_rows_become_claims_that_load(tmp_path: Path) -> None:
    write(tmp_path, "map.yaml", MAP)
    write(tmp_path, "rows.csv", ROWS)
    result = invoke("import", "csv", "rows.csv", "--map", "map.yaml", "-o", "claims/sheet.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "wrote 2 claim(s) to claims/sheet.yaml" in result.output
    corpus = load_corpus([tmp_path / "claims"], Undeclared.error)
    r1, r2 = corpus.claims["r1"], corpus.claims["r2"]
    assert (r1.said_on.date, r1.quote_kind.value, r1.topics, r1.predicate) == (
        "2021-03-04",
        "direct",
        ["budget", "bridge"],
        "asserts",
    )
    assert r1.qualifiers.count is not None and r1.qualifiers.count.value == 3_000_000
    assert corpus.entities[r1.speaker].role == "Mayor" and corpus.entities[r1.speaker].kind.value == "person"
    assert r1.source == r2.source and corpus.sources[r1.source].url == "https://city.example/a"  # one source, once
    assert r2.quote == '=HYPERLINK("http://x") <script>alert(1)</script>'  # data, kept as it is
    first = (tmp_path / "claims" / "sheet.yaml").read_text()
    invoke("import", "csv", "rows.csv", "--map", "map.yaml", "-o", "claims/sheet.yaml", cwd=tmp_path)
    assert (tmp_path / "claims" / "sheet.yaml").read_text() == first  # stable ids and order
    # imported into another file, the same rows clash with the first import, by name
    clash = invoke("import", "csv", "rows.csv", "--map", "map.yaml", "-o", "claims/again.yaml", cwd=tmp_path)
    assert clash.exit_code == 2 and clash.output.startswith("rows.csv:2:1: claim 'r1' is already in the workspace")
    assert not (tmp_path / "claims" / "again.yaml").exists()


def test_rows_without_ids_get_stable_ones_and_reuse_workspace_entities(workspace: Path) -> None:
    write(workspace, "map.yaml", MAP.replace("  id: Ref\n", ""))
    write(workspace, "rows.csv", ROWS.replace("Jane Roe", "Hulusi Akar"))
    assert invoke("import", "csv", "rows.csv", "--map", "map.yaml", cwd=workspace).exit_code == 0
    corpus = load_corpus([workspace / "claims"], Undeclared.error)
    imported = [c for c in corpus.claims.values() if c.predicate == "asserts"]
    assert {c.speaker for c in imported} == {"hulusi-akar", "john-poe"}  # Akar is the seed's entity
    assert all(c.id.startswith(("hulusi-akar-", "john-poe-")) for c in imported)
    assert invoke("run", cwd=workspace).exit_code == 0


def test_errors_name_the_row_and_column_and_how_to_fix_them(tmp_path: Path) -> None:
    write(tmp_path, "map.yaml", MAP)
    rows = ROWS.replace("04/03/2021", "31/02/2021").replace(
        "https://city.example/a,budget,", "javascript:alert(1),budget,"
    )
    rows += 'r3,,Mayor,06/03/2021,"No speaker",City Paper,H,,,\n'
    write(tmp_path, "rows.csv", rows)
    result = invoke("import", "csv", "rows.csv", "--map", "map.yaml", cwd=tmp_path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.splitlines() == [
        "rows.csv:2:4: column 'Date' (said_on): '31/02/2021' does not match the date format '%d/%m/%Y'; fix the cell or the map's format",
        "rows.csv:3:8: column 'Link' (source.url): 'javascript:alert(1)' is not a web address; write it as http://... or https://...",
        "rows.csv:4:2: speaker is empty in column 'Speaker'; fill it in or drop the row",
    ]
    assert not (tmp_path / "claims").exists()


def test_map_errors_point_into_the_map(tmp_path: Path) -> None:
    write(tmp_path, "rows.csv", ROWS)
    write(
        tmp_path, "map.yaml", MAP.replace("  speaker: Speaker\n", "  spekaer: Speaker\n").replace("Statement", "Quote")
    )
    result = invoke("import", "csv", "rows.csv", "--map", "map.yaml", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "map.yaml:1:1: the map gives no speaker; add each as a column or {value: ...}",
        "map.yaml:3:3: unknown field 'spekaer'; did you mean 'speaker'?",
    ]
    write(tmp_path, "map.yaml", MAP.replace("Statement", "Quote"))
    result = invoke("import", "csv", "rows.csv", "--map", "map.yaml", cwd=tmp_path)
    assert result.output.startswith(
        "map.yaml:7:10: column 'Quote' is not in rows.csv's header; its columns: Ref, Speaker"
    )
    write(tmp_path, "map.yaml", "fields:\n  quote: {column: A, value: b}\n")
    result = invoke("import", "csv", "rows.csv", "--map", "map.yaml", cwd=tmp_path)
    assert result.exit_code == 2 and "give either 'column' (a header) or 'value' (a constant)" in result.output
    write(tmp_path, "unclosed.csv", ROWS + 'r3,Jane Roe,Mayor,06/03/2021,"an unclosed quote,City Paper\n')
    write(tmp_path, "map.yaml", MAP)
    result = invoke("import", "csv", "unclosed.csv", "--map", "map.yaml", cwd=tmp_path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith("unclosed.csv:4:1: not readable as CSV: unexpected end of data; check its quotes")
