"""The review workflow and its store: verdicts survive re-runs, staleness is shown, history is kept,
and the SQLite store stays consistent under concurrency, kills, migrations and foreign files."""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from factcheck.review.store import MIGRATIONS, SCHEMA_VERSION, ReviewStore
from factcheck.review.verdicts import Standing, Status

PRESENCE = "943823275b"  # presence-where-entry-denied on the seed corpus (fingerprints are stable)
REMOTE = "758cb19b72"


@pytest.fixture
def workspace(frozen_workspace: Path) -> Path:
    """The review workflow over the frozen v1 pack: these fingerprints stay whatever the default pack becomes."""
    return frozen_workspace


def cli(folder: Path, *args: str, input: str | None = None):
    from click.testing import CliRunner

    from factcheck.cli import main

    old = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    finally:
        os.chdir(old)


def records(db: Path) -> dict[str, object]:
    with ReviewStore(db) as store:
        return {r.fingerprint[:10]: r for r in store.records()}


def test_verdicts_carry_over_and_run_marks_them(workspace: Path, review_db: Path) -> None:
    assert cli(workspace, "run").exit_code == 0
    assert cli(workspace, "review", "mark", PRESENCE, "confirmed", "--by", "ana", "--note", "real").exit_code == 0
    table = cli(workspace, "run").output
    assert "confirmed" in next(line for line in table.splitlines() if line.startswith(PRESENCE))
    record = records(review_db)[PRESENCE]
    assert (record.status, record.standing, record.reviewer, record.note) == (
        Status.confirmed,
        Standing.reviewed,
        "ana",
        "real",
    )
    new_only = cli(workspace, "run", "--new-only", "--format", "jsonl").output.splitlines()
    assert len(new_only) == 6 and all(not line.startswith(f'{{"id": "{PRESENCE}') for line in new_only)


def test_a_changed_claim_flags_its_verdict_for_a_second_look(workspace: Path, review_db: Path) -> None:
    cli(workspace, "run")
    cli(workspace, "review", "mark", PRESENCE, "confirmed", "--by", "ana")
    cli(workspace, "review", "mark", REMOTE, "dismissed", "--reason", "different-scope", "--by", "ana")
    corpus = workspace / "claims" / "duvar-2020-12-30-monitoring-center.yaml"
    text = corpus.read_text()
    corpus.write_text(
        text.replace(
            "said the center will be established in the Aghdam city.",
            "said the center will be set up in the Aghdam city.",
        )
    )
    table = cli(workspace, "run").output
    assert "changed since review" in next(line for line in table.splitlines() if line.startswith(PRESENCE))
    state = records(review_db)
    assert state[PRESENCE].standing is Standing.changed
    assert state[PRESENCE].status is Status.confirmed  # kept, not silently reopened
    assert state[REMOTE].standing is Standing.reviewed  # its claims did not change
    listed = cli(workspace, "review", "list", "--status", "changed", "--format", "json").output
    assert [r["id"][:10] for r in json.loads(listed)] == [PRESENCE]
    cli(workspace, "review", "mark", PRESENCE, "confirmed", "--by", "ana", "--note", "checked again")
    assert records(review_db)[PRESENCE].standing is Standing.reviewed


def test_a_tension_that_stops_firing_is_kept_as_resolved_by_data(workspace: Path, review_db: Path) -> None:
    cli(workspace, "run")
    cli(workspace, "review", "mark", PRESENCE, "needs-source", "--by", "ana")
    corpus = workspace / "claims" / "duvar-2020-12-30-monitoring-center.yaml"
    corpus.write_text(corpus.read_text().replace("    object: aghdam\n", "    object: azerbaijan\n"))
    cli(workspace, "run")
    record = records(review_db)[PRESENCE]
    assert (record.standing, record.active, record.status) == (Standing.resolved, False, Status.needs_source)
    resolved = json.loads(cli(workspace, "review", "list", "--status", "resolved", "--format", "json").output)
    assert [r["id"][:10] for r in resolved] == [PRESENCE]
    assert [h.to_status for h in ReviewStore(review_db).history(record.fingerprint)] == ["needs-source"]


def test_history_is_append_only(workspace: Path, review_db: Path) -> None:
    cli(workspace, "run")
    cli(workspace, "review", "mark", PRESENCE, "needs-source", "--by", "ana", "--note", "which map?")
    cli(workspace, "review", "mark", PRESENCE, "dismissed", "--reason", "terminology", "--by", "bo")
    cli(workspace, "review", "mark", PRESENCE, "confirmed", "--by", "cy")
    lines = cli(workspace, "review", "history", PRESENCE[:6]).output.splitlines()
    steps = [line.split()[1:4] for line in lines[2:]]
    assert steps == [
        ["ana", "open", "needs-source"],
        ["bo", "needs-source", "dismissed"],
        ["cy", "dismissed", "confirmed"],
    ]
    assert "terminology" in lines[3] and "which map?" in lines[2]


def test_verdict_errors_are_clear(workspace: Path) -> None:
    cli(workspace, "run")
    no_reason = cli(workspace, "review", "mark", PRESENCE, "dismissed")
    assert no_reason.exit_code == 2
    assert "dismissing needs a reason: one of different-scope," in no_reason.output
    bad_status = cli(workspace, "review", "mark", PRESENCE, "wrong")
    assert bad_status.exit_code == 2 and "unknown status 'wrong'" in bad_status.output
    unknown = cli(workspace, "review", "show", "abcdef")
    assert (unknown.exit_code, unknown.output.strip()) == (
        2,
        "factcheck: error: no recorded tension id starts with 'abcdef'",
    )
    ambiguous = cli(workspace, "review", "show", "4")
    assert ambiguous.exit_code == 2
    assert ambiguous.output.startswith("factcheck: error: tension id prefix '4' is ambiguous")


def test_review_before_any_run_says_what_to_do(workspace: Path) -> None:
    result = cli(workspace, "review", "list")
    assert result.exit_code == 2
    assert result.output.strip().endswith("no review database yet; run 'factcheck run' first")


def test_bulk_mark_by_rule_and_export(workspace: Path) -> None:
    cli(workspace, "run")
    assert (
        cli(
            workspace, "review", "mark", "--rule", "weak-attribution", "dismissed", "--reason", "other", "--by", "ana"
        ).output.strip()
        == "3 tension(s) marked dismissed."
    )
    exported = json.loads(cli(workspace, "review", "export").output)
    assert len(exported) == 7
    dismissed = [e for e in exported if e["status"] == "dismissed"]
    assert {e["tension"]["rule"] for e in dismissed} == {"weak-attribution"}
    assert all(e["reason"] == "other" and e["tension"]["claims"] for e in dismissed)
    csv_lines = cli(workspace, "review", "export", "--format", "csv").output.splitlines()
    assert len(csv_lines) == 8 and csv_lines[0].startswith("id,rule,severity,status")
    by_speaker = json.loads(cli(workspace, "review", "list", "--speaker", "lavrov", "--format", "json").output)
    assert [r["id"][:10] for r in by_speaker] == [REMOTE]


def test_interactive_queue_saves_each_decision(workspace: Path, review_db: Path) -> None:
    cli(workspace, "run")
    # 1st (high): confirm with a note; 2nd: note, then dismiss; 3rd: needs-source; then quit
    answers = "c\nchecked the map\no\nlooks like scope\nd\ndifferent-scope\n\nn\n\nq\n"
    result = cli(workspace, "review", "--by", "ana", input=answers)
    assert result.exit_code == 0
    assert "[1/7]" in result.output and "speaker" in result.output and "why:" in result.output
    assert result.output.rstrip().endswith("4 decision(s) saved.")
    statuses = [r.status for r in ReviewStore(review_db).records()]
    assert statuses.count(Status.confirmed) == 1
    assert statuses.count(Status.dismissed) == 1
    assert statuses.count(Status.needs_source) == 1
    assert records(review_db)[PRESENCE].note == "checked the map"


def test_interrupting_the_queue_keeps_what_was_decided(workspace: Path, review_db: Path) -> None:
    cli(workspace, "run")
    result = cli(workspace, "review", "--by", "ana", input="c\n\nd\n")  # input ends mid-dismissal, like Ctrl-C
    assert result.exit_code == 130
    assert "Stopped. 1 decision(s) saved." in result.output
    assert records(review_db)[PRESENCE].status is Status.confirmed


def _mark_many(db: str, fingerprints: list[str], who: str) -> None:
    with ReviewStore(Path(db)) as store:
        for i in range(25):
            store.mark(fingerprints[i % len(fingerprints)], Status.confirmed if i % 2 else Status.needs_source, who)


def test_two_processes_marking_at_once_lose_nothing(workspace: Path, review_db: Path) -> None:
    cli(workspace, "run")
    fingerprints = [r.fingerprint for r in ReviewStore(review_db).records()]
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_mark_many, args=(str(review_db), fingerprints, who)) for who in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    with sqlite3.connect(review_db) as db:
        assert db.execute("SELECT count(*) FROM history").fetchone()[0] == 50
        assert db.execute("SELECT by, count(*) FROM history GROUP BY by").fetchall() == [("a", 25), ("b", 25)]


def test_a_run_killed_mid_write_leaves_the_store_consistent(workspace: Path, review_db: Path) -> None:
    cli(workspace, "run")
    cli(workspace, "review", "mark", PRESENCE, "confirmed", "--by", "ana")
    env = {**os.environ, "FACTCHECK_DB": str(review_db)}
    # the real `factcheck run`, paused for 30 s inside its run transaction by tests/instrumented.py
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "instrumented.py"), "cli", "--pause-in-write", "30", "--", "run"],
        cwd=workspace,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    wal = review_db.with_name(review_db.name + "-wal")
    with sqlite3.connect(review_db) as db:
        runs_before = db.execute("SELECT count(*) FROM runs").fetchone()[0]
    while time.monotonic() < deadline:  # wait until the run holds the write lock, mid-transaction
        try:
            probe = sqlite3.connect(review_db, timeout=0)
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            probe.close()
            time.sleep(0.05)
        except sqlite3.OperationalError:
            break
    else:
        proc.kill()
        pytest.fail("the run never reached its write")
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert wal.exists()
    with sqlite3.connect(review_db) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == runs_before
    record = records(review_db)[PRESENCE]
    assert (record.status, record.standing) == (Status.confirmed, Standing.reviewed)


def test_an_older_schema_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO runs VALUES (1, 't0', 't1', 'r', 'c', 1)")
    db.execute(
        "INSERT INTO history (fingerprint, at, by, from_status, to_status) VALUES ('ab', 't', 'x', 'open', 'confirmed')"
    )
    db.close()
    with ReviewStore(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        run = store.latest_run()
        assert run is not None and run["engine"] == "durable"
        assert [h.to_status for h in store.history("ab")] == ["confirmed"]


def test_a_newer_schema_is_refused(tmp_path: Path, workspace: Path) -> None:
    path = tmp_path / "new.db"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    before = path.read_bytes()
    result = cli(workspace, "run", "--db", str(path))
    assert result.exit_code == 2
    assert f"written by a newer factcheck (schema 99, this one knows {SCHEMA_VERSION})" in result.output
    assert path.read_bytes() == before  # not even its journal mode was changed
    assert not path.with_name("new.db-wal").exists()


@pytest.mark.parametrize("content", [b"not a database at all\n", b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_foreign_or_corrupt_file_is_refused_and_untouched(tmp_path: Path, workspace: Path, content: bytes) -> None:
    path = tmp_path / "review.db"
    path.write_bytes(content)
    result = cli(workspace, "run", "--db", str(path))
    assert result.exit_code == 2
    assert result.output.startswith(f"factcheck: error: {path}: not a")
    assert "untouched" in result.output
    assert path.read_bytes() == content


NARROW = 1  # tensions of the seed corpus under the pack's first rule alone


def test_a_run_recorded_between_recording_and_reporting_does_not_break_the_report(
    workspace: Path, review_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs on one store: the other run lands right after this one is recorded and marks this
    run's tensions as no longer firing (it has fewer rules). This run still reports all of its own."""
    from factcheck.api import check

    cli_main = importlib.import_module("factcheck.cli.main")  # the package exports a command of that name
    narrow = workspace / "narrow.yaml"
    pack = (workspace / "rules" / "default.yaml").read_text()
    narrow.write_text(pack[: pack.index("\n  - id:", pack.index("- id:") + 1)] + "\n")
    real_record = cli_main.record

    def record_then_another_run(result: object, db: Path) -> object:
        recorded = real_record(result, db)  # type: ignore[arg-type]
        other = check([workspace / "claims"], [narrow])
        assert len(other.tensions) == NARROW
        real_record(other, db)
        return recorded

    monkeypatch.setattr(cli_main, "record", record_then_another_run)
    result = cli(workspace, "run")  # the table shows each tension's review standing
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if re.match(r"[0-9a-f]{10}  ", line)]
    assert len(rows) == 7 and all(" open " in row for row in rows)


def test_concurrent_runs_on_one_store_both_report_whole(workspace: Path, review_db: Path) -> None:
    narrow = workspace / "narrow.yaml"
    pack = (workspace / "rules" / "default.yaml").read_text()
    narrow.write_text(pack[: pack.index("\n  - id:", pack.index("- id:") + 1)] + "\n")
    env = {**os.environ, "FACTCHECK_DB": str(review_db)}
    commands = [
        [sys.executable, "-m", "factcheck", "run", "--format", "json", "--no-cache"],
        [sys.executable, "-m", "factcheck", "run", "--format", "json", "--no-cache", "--rules", str(narrow)],
    ]
    counts = set()
    for _ in range(4):
        procs = [
            subprocess.Popen(c, cwd=workspace, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for c in commands
        ]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            counts.add(len(json.loads(out)["tensions"]))
    assert counts == {7, NARROW}
    with ReviewStore(review_db) as store:
        assert len(store.db.execute("SELECT * FROM runs").fetchall()) == 8


def test_a_store_busy_with_a_long_write_says_so(
    workspace: Path, review_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factcheck.review import store

    assert cli(workspace, "run").exit_code == 0
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 300)
    writer = sqlite3.connect(review_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    try:
        result = cli(workspace, "run")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 2
    assert result.output.startswith(f"factcheck: error: {review_db}: busy: another factcheck")
    assert "move it aside" not in result.output and "healthy" in result.output


def test_a_store_that_cannot_be_written_says_so(
    workspace: Path, review_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli(workspace, "run").exit_code == 0
    real_connect = sqlite3.connect

    def read_only(path: Path, **kwargs: object) -> sqlite3.Connection:  # as a read-only file opens (root ignores modes)
        return real_connect(f"file:{path}?mode=ro", uri=True, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", read_only)
    result = cli(workspace, "review", "mark", PRESENCE, "confirmed", "--by", "ana")
    assert result.exit_code == 2
    assert "cannot write to the review database or its folder" in result.output
    assert "move it aside" not in result.output


def test_a_fifo_as_the_store_is_refused_at_once(workspace: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "review.db"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = cli(workspace, "run", "--db", str(fifo))
    assert result.exit_code == 2 and time.monotonic() - started < 10
    assert "is not a regular file" in result.output


def test_a_damaged_store_fails_before_the_evaluation(
    workspace: Path, review_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli(workspace, "run").exit_code == 0
    with sqlite3.connect(review_db) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(review_db.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size : page_size + 512] = os.urandom(512)  # the second page: a table's b-tree
    review_db.write_bytes(bytes(data))
    cli_main = importlib.import_module("factcheck.cli.main")

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("evaluated with a damaged store")

    monkeypatch.setattr(cli_main.Inputs, "check", never)
    result = cli(workspace, "run")
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"factcheck: error: {review_db}: ")
    assert len(result.output.splitlines()) == 1


def test_damaged_text_inside_the_store_is_one_line(workspace: Path, review_db: Path) -> None:
    assert cli(workspace, "run").exit_code == 0
    with sqlite3.connect(review_db) as db:
        db.execute("UPDATE tensions SET snapshot = substr(snapshot, 1, 40) || x'ff00fe' WHERE rowid = 1")
    for command in (["review", "list"], ["review", "export", "--format", "json"]):
        result = cli(workspace, *command)
        assert result.exit_code == 2, result.output
        assert len(result.output.splitlines()) == 1 and "damaged" in result.output


def test_a_verdict_survives_re_encoding_the_claims_of_its_tension(workspace: Path, review_db: Path) -> None:
    """Claims re-encoded in the richer model (an event time, a count with its parts): the tension is the
    same (rule and claims), so its verdict is kept, flagged for a second look since its claims changed."""
    assert cli(workspace, "run").exit_code == 0
    assert cli(workspace, "review", "mark", REMOTE, "confirmed", "--by", "ana").exit_code == 0
    seed = workspace / "claims" / "duvar-2020-12-30-monitoring-center.yaml"
    text = seed.read_text()
    assert "  - id: lavrov-center-operates-remotely\n" in text
    seed.write_text(
        text.replace(
            "  - id: lavrov-center-operates-remotely\n", "  - id: lavrov-center-operates-remotely\n    when: ~2020-12\n"
        )
    )
    assert cli(workspace, "run").exit_code == 0
    record = records(review_db)[REMOTE]
    assert (record.status, record.standing) == (Status.confirmed, Standing.changed)
