"""Property: whatever files and environment `factcheck run` is given, it ends in exit 0, 1 or 2, in
bounded time and memory, and exit 2 is one readable line per problem. Never exit 3 ("internal error"),
never a traceback. Cases are generated from the seed corpus, a JSON Lines corpus and the rule pack, with
hostile values and broken bytes put in, and from stores, workspace files and paths of the wrong kind."""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import ROOT, invoke

BASE_CLAIM = {
    "id": "jl-0",
    "speaker": "russia",
    "source": "duvar-2020-12-30",
    "said_on": "2021-01-05",
    "quote": "Turkish troops will not enter.",
    "quote_kind": "paraphrase",
    "subject": "turkish-peacekeepers",
    "predicate": "enter",
    "object": "nagorno-karabakh",
    "polarity": "negated",
    "topics": ["turkey-russia-monitoring-center"],
}
FIELDS = [*BASE_CLAIM, "qualifiers", "value", "status", "note", "when", "attribution"]
HOSTILE_VALUES: list[Any] = [
    None,
    -1,
    0,
    10**20,
    1.5e308,
    float("inf"),
    True,
    "",
    "x" * 100_001,
    "\x1b[2J\x07\u009b31m\u202e",
    "a\nb",
    "＝HYPERLINK(1)",
    "<script>alert(1)</script>",
    "~0001-01-01",
    "~9999-12-31",
    "9999-12-31",
    "0000-00-00",
    ["a", ["b"]],
    {"count": -5},
    {"count": 10**30, "time": "~9999-12"},
    {"place": "aghdam", "means": ["remote"], "time": "~0001-01"},
    {"by": "~9999-12-31"},
    {"from": "2021", "until": "2020"},
    {"not_before": "~0001-01-01", "by": "~0001-01-02"},
    {"count": {"value": 5, "parts": [{"value": 3}]}},
    {"count": {"value": 1e308, "approx": "about", "per": "side"}},
    {"count": {"value": 10**400, "approx": "about"}},
    {"via": ["nobody"], "translated": {"from": "ru", "by": "nobody"}},
    {"paraphrases": "jl-0", "unnamed": True, "partial": True},
]
RAW_LINES = [
    "[" * 5_000,
    "{" * 100,
    '{"id": "d", "id": "d"}',
    '{"count": ' + "9" * 5_000 + "}",
    "\ufeff{}",
    "\x00",
    '"just a string"',
    "",
    "{}",
]
LINE_PATTERN = re.compile(r"^(\S.*?:\d+:\d+: |factcheck: error: )")


@st.composite
def json_lines(draw: st.DrawFn) -> str:
    lines = []
    for i in range(draw(st.integers(0, 4))):
        claim = {**BASE_CLAIM, "id": f"jl-{i}"}
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):  # most claims stay valid: runs go on to evaluate
            claim[draw(st.sampled_from(FIELDS))] = draw(st.sampled_from(HOSTILE_VALUES))
        lines.append(json.dumps(claim))
    if draw(st.integers(0, 3)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(RAW_LINES)))
    return "\n".join(lines) + ("\n" if draw(st.booleans()) else "")


def mutate(data: bytes, draw: st.DrawFn) -> bytes:
    """Overwrite, insert or cut a few bytes somewhere in a file."""
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        action = draw(st.sampled_from(["flip", "insert", "cut"]))
        junk = draw(st.binary(min_size=1, max_size=8))
        if action == "flip":
            data = data[:at] + junk + data[at + len(junk) :]
        elif action == "insert":
            data = data[:at] + junk + data[at:]
        else:
            data = data[:at]
    return data


@st.composite
def workspaces(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "jsonl": draw(json_lines()),
        "claims_file": draw(st.sampled_from(["duvar-2020-12-30-monitoring-center.yaml", "gazetteer.yaml"])),
        "claims_bytes": draw(st.data()),
        "rules_bytes": draw(st.data()),
        "mutate_claims": draw(st.integers(0, 3)) == 0,
        "mutate_rules": draw(st.integers(0, 3)) == 0,
        "store": draw(st.sampled_from(["fresh"] * 4 + ["ok"] * 3 + ["folder", "fifo", "garbage", "newer", "damaged"])),
        "config": draw(st.sampled_from([None] * 6 + ["folder", "fifo", "missing", "garbage", "valid"])),
        "format": draw(st.sampled_from(["table", "json", "jsonl", "csv", "markdown"])),
        "engine": draw(st.sampled_from(["durable", "reference"])),
        "extra": draw(
            st.sampled_from([[], ["--max-candidates", "1"], ["--fail-on", "low"], ["--min-severity", "high"]])
        ),
    }


def build(folder: Path, case: dict[str, Any]) -> list[str]:
    shutil.copytree(ROOT / "claims", folder / "claims")
    shutil.copytree(ROOT / "rules", folder / "rules")
    (folder / "claims" / "bulk.jsonl").write_text(case["jsonl"], encoding="utf-8")
    if case["mutate_claims"]:
        target = folder / "claims" / case["claims_file"]
        target.write_bytes(mutate(target.read_bytes(), case["claims_bytes"].draw))
    if case["mutate_rules"]:
        target = folder / "rules" / "default.yaml"
        target.write_bytes(mutate(target.read_bytes(), case["rules_bytes"].draw))
    db = folder / "store" / "review.db"
    db.parent.mkdir()
    store = case["store"]
    if store == "folder":
        db.mkdir()
    elif store == "fifo":
        os.mkfifo(db)
    elif store == "garbage":
        db.write_bytes(b"SQLite format 3\x00" + os.urandom(300))
    elif store in ("newer", "damaged", "ok"):
        seed = ["--claims", str(ROOT / "claims"), "--rules", str(ROOT / "rules")]
        assert invoke("run", "--db", str(db), *seed, cwd=folder).exit_code == 0
        with sqlite3.connect(db) as connection:
            if store == "newer":
                connection.execute("PRAGMA user_version = 99")
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if store == "damaged":
            data = bytearray(db.read_bytes())
            data[len(data) // 3 : len(data) // 3 + 700] = os.urandom(700)
            db.write_bytes(bytes(data))
    args = ["run", "--db", str(db), "--format", case["format"], "--engine", case["engine"], *case["extra"]]
    config = case["config"]
    if config is not None:
        path = folder / "workspace.yaml"
        if config == "folder":
            path.mkdir()
        elif config == "fifo":
            os.mkfifo(path)
        elif config == "garbage":
            path.write_bytes(b"\xff\xfe: [ {")
        elif config == "valid":
            path.write_text("severity: {weak-attribution: high}\n")
        args += ["--config", str(path)]
    return args


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(case=workspaces())
def test_any_input_ends_in_0_1_or_2_with_readable_errors(case: dict[str, Any], tmp_path_factory: Any) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    args = build(folder, case)
    result = invoke(*args, cwd=folder)
    output = result.output
    event(f"exit {result.exit_code}")
    assert result.exit_code in (0, 1, 2), output[-2000:]
    assert "Traceback" not in output and "internal error" not in output
    if result.exit_code == 2 and not output.startswith("Usage:"):
        for line in output.splitlines():
            assert LINE_PATTERN.match(line), line
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", line), line
    # bounded memory: the largest hostile input is 100 KB; a run that reads or builds far more is a bug
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 2 * 2**20  # KiB: 2 GiB
