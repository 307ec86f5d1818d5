"""End to end on the bundled corpus, as a user runs it."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import ROOT, invoke

# The exact (rule, bound claims) the default pack must flag on the seed article: tensions 1-5 of the
# issue, nothing for count-conflict (36 = "one general and 35 officers") nor position-change. Russia's
# two weakly attributed claims are one finding (one speaker) supported by both.
EXPECTED = {
    (
        "presence-where-denied",
        (
            ("denial", "russia-no-turkish-peacekeepers-in-karabakh"),
            ("staff", "akar-duty-after-center-operational"),
            ("site", "aliyev-center-in-aghdam"),
        ),
    ),
    (
        "remote-vs-on-site",
        (("remote", "lavrov-center-operates-remotely"), ("staff", "akar-duty-after-center-operational")),
    ),
    (
        "role-scope-conflict",
        (("wider", "azerbaijan-presses-turkish-role-in-talks"), ("limited", "russia-turkish-role-limited-to-center")),
    ),
    (
        "status-overstated",
        (("report", "headline-officers-monitor"), ("statement", "akar-duty-after-center-operational")),
    ),
    ("weak-attribution", (("claim", "azerbaijan-presses-turkish-role-in-talks"),)),
    ("weak-attribution", (("claim", "russia-turkish-role-limited-to-center"),)),
    ("weak-attribution", (("claim", "russia-no-turkish-peacekeepers-in-karabakh"),)),
}


def flagged(document: dict) -> set:
    """Every supporting tuple of every finding, as (rule, ((binding, claim), ...))."""
    return {
        (t["rule"], tuple(zip((c["binding"] for c in t["claims"]), ids, strict=True)))
        for t in document["tensions"]
        for ids in t["support"]
    }


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_seed_corpus_flags_exactly_the_expected_tensions(engine: str) -> None:
    result = invoke("run", "--format", "json", "--engine", engine)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert flagged(document) == EXPECTED
    assert document["summary"] == {"total": 6, "high": 1, "medium": 3, "low": 2, "info": 0}


def test_json_contract_of_a_tension() -> None:
    document = json.loads(invoke("run", "--format", "json").output)
    presence = next(t for t in document["tensions"] if t["rule"] == "presence-where-denied")
    assert set(presence) == {"id", "rule", "severity", "title", "message", "claims", "explanation", "support", "review"}
    assert presence["review"] == {"status": "open", "standing": "new"}  # where it stands in review
    assert presence["support"] == [[c["claim"] for c in presence["claims"]]]  # one report of each statement
    assert len(presence["id"]) == 40 and int(presence["id"], 16) >= 0
    assert presence["severity"] == "high"
    first = presence["claims"][0]
    assert set(first) == {
        "binding",
        "claim",
        "speaker",
        "said_on",
        "quote",
        "quote_kind",
        "reading",
        "source",
        "topics",
    }
    assert first["speaker"] == {"id": "russia", "name": "Russia", "role": None}
    assert first["source"]["outlet"] == "Duvar English"
    assert first["source"]["published"] == "2020-12-30"
    site = presence["claims"][2]
    assert site["said_on"] == "~2020-12"
    details = [f["detail"] for f in presence["explanation"]]
    assert any(d.startswith("aghdam within nagorno-karabakh: disputed") for d in details)
    assert presence["message"].endswith("Aghdam inside Nagorno-Karabakh: disputed")


def test_fingerprints_are_stable_across_runs_and_engines() -> None:
    durable = invoke("run", "--format", "json").output
    again = invoke("run", "--format", "json").output
    reference = invoke("run", "--format", "json", "--engine", "reference").output
    assert durable == again == reference


def test_min_severity_filters_and_fail_on_sets_exit_code() -> None:
    high = invoke("run", "--format", "jsonl", "--min-severity", "high")
    rows = [json.loads(line) for line in high.output.splitlines()]
    assert [r["rule"] for r in rows] == ["presence-where-denied"]
    assert invoke("run", "--fail-on", "high").exit_code == 1
    assert invoke("run", "--min-severity", "high", "--fail-on", "medium").exit_code == 1
    assert invoke("run", "--fail-on", "low").exit_code == 1
    assert invoke("run").exit_code == 0


def test_table_lists_each_tension_with_short_id() -> None:
    output = invoke("run").output
    lines = output.splitlines()
    assert lines[0].split() == ["id", "severity", "review", "rule", "claims", "speakers", "summary"]
    document = json.loads(invoke("run", "--format", "json").output)
    for tension in document["tensions"]:
        assert tension["id"][:10] in output


def test_csv_and_markdown_carry_every_tension() -> None:
    rows = list(csv.DictReader(io.StringIO(invoke("run", "--format", "csv").output)))
    assert len(rows) == 6
    assert {r["rule"] for r in rows} == {rule for rule, _ in EXPECTED}
    markdown = invoke("run", "--format", "markdown").output.splitlines()
    assert markdown[0].startswith("| id") and len(markdown) == 2 + 6


def test_show_accepts_a_unique_prefix_and_rejects_an_unknown_one() -> None:
    document = json.loads(invoke("run", "--format", "json").output)
    target = document["tensions"][0]["id"]
    shown = invoke("show", target[:7])
    assert shown.exit_code == 0
    assert target in shown.output and "why:" in shown.output
    unknown = invoke("show", "zzzz")
    assert unknown.exit_code == 2
    assert (
        unknown.output.strip()
        == "factcheck: error: 'zzzz' is not a tension id (hex digits, as shown by 'factcheck run')"
    )
    absent = invoke("show", "fffffffff0")
    assert absent.exit_code == 2
    assert absent.output.strip() == "factcheck: error: no tension id starts with 'fffffffff0'"


def test_json_lines_corpus_gives_the_same_tensions(tmp_path) -> None:
    """The bulk format: the seed claims as JSON Lines beside the YAML entities and sources."""
    import yaml

    seed = yaml.safe_load((ROOT / "claims" / "duvar-2020-12-30-monitoring-center.yaml").read_text())
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "gazetteer.yaml").write_text((ROOT / "claims" / "gazetteer.yaml").read_text())
    (tmp_path / "claims" / "vocabulary.yaml").write_text((ROOT / "claims" / "vocabulary.yaml").read_text())
    (tmp_path / "claims" / "sources.yaml").write_text(
        yaml.safe_dump({"sources": json.loads(json.dumps(seed["sources"], default=str))})
    )
    lines = [json.dumps(claim, default=str) for claim in seed["claims"]]
    (tmp_path / "claims" / "claims.jsonl").write_text("\n".join(lines) + "\n")
    result = invoke("run", "--format", "json", "--rules", str(ROOT / "rules"), cwd=tmp_path)
    assert flagged(json.loads(result.output)) == EXPECTED
    broken = [*lines[:2], lines[2].replace('"2020-12-29"', '"2020-12-32"'), lines[3][:-1], *lines[4:]]
    (tmp_path / "claims" / "claims.jsonl").write_text("\n".join(broken) + "\n")
    failed = invoke("run", "--rules", str(ROOT / "rules"), cwd=tmp_path)
    assert failed.exit_code == 2
    assert failed.output.splitlines() == [
        "claims/claims.jsonl:3:1: claim 'akar-staff-stand-by': 'said_on': '2020-12-32' is not a real calendar date; "
        "write YYYY-MM-DD, YYYY-MM or YYYY, with a leading ~ when approximate (e.g. ~2020-12)",
        f"claims/claims.jsonl:4:{len(lines[3])}: invalid JSON: Expecting ',' delimiter",
    ]


def test_entities_and_sources_as_json_lines(tmp_path) -> None:
    """entities.jsonl and sources.jsonl: the gazetteer in the bulk format gives the same tensions, and a
    bad line is located like a bad claim line."""
    import yaml

    seed = yaml.safe_load((ROOT / "claims" / "duvar-2020-12-30-monitoring-center.yaml").read_text())
    gazetteer = yaml.safe_load((ROOT / "claims" / "gazetteer.yaml").read_text())
    folder = tmp_path / "claims"
    folder.mkdir()
    entities = [json.dumps(e, default=str) for e in gazetteer["entities"] + seed.get("entities", [])]
    (folder / "entities.jsonl").write_text("\n".join(entities) + "\n")
    (folder / "sources.jsonl").write_text("\n".join(json.dumps(s, default=str) for s in seed["sources"]) + "\n")
    terms = yaml.safe_load((ROOT / "claims" / "vocabulary.yaml").read_text())["vocabulary"]
    (folder / "vocabulary.jsonl").write_text("\n".join(json.dumps(t) for t in terms) + "\n")
    (folder / "claims.jsonl").write_text("\n".join(json.dumps(c, default=str) for c in seed["claims"]) + "\n")
    result = invoke("run", "--format", "json", "--rules", str(ROOT / "rules"), cwd=tmp_path)
    assert flagged(json.loads(result.output)) == EXPECTED
    (folder / "entities.jsonl").write_text("\n".join([entities[0], '{"id": "x", "name": "X", "kind": "planet"}']))
    failed = invoke("run", "--rules", str(ROOT / "rules"), cwd=tmp_path)
    assert failed.exit_code == 2
    assert failed.output.splitlines()[0].startswith("claims/entities.jsonl:2:1: entity 'x': 'kind'")
