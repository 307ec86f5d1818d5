"""The review workflow for several reviewers: in progress, assignment, undo, bulk marks that leave a
colleague's decisions alone, several notes, the interactive queue's filters, reason prefixes and
confirmations, what changed since a verdict, claim ratings, and the schema migration that brings them.
Over the frozen v1 pack (conftest.frozen_workspace), so that the findings stay what these tests expect."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from factcheck.review.store import MIGRATIONS, SCHEMA_VERSION, ReviewStore
from factcheck.review.verdicts import ClaimRating, HistoryKind, Standing, Status
from test_review import PRESENCE, REMOTE, cli, records

SEED = "duvar-2020-12-30-monitoring-center.yaml"


@pytest.fixture
def ws(frozen_workspace: Path) -> Path:
    assert cli(frozen_workspace, "run").exit_code == 0
    return frozen_workspace


def listed(ws: Path, *filters: str) -> list[dict[str, object]]:
    result = cli(ws, "review", "list", "--format", "json", *filters)
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return rows


def ok(ws: Path, *args: str, input: str | None = None) -> str:
    result = cli(ws, *args, input=input)
    assert result.exit_code == 0, result.output
    return result.output


def test_in_progress_is_a_status_of_its_own(ws: Path, review_db: Path) -> None:
    assert ok(ws, "review", "mark", PRESENCE[:6], "in-progress", "--by", "ana").strip() == (
        f"recorded: {PRESENCE} in-progress by ana"
    )
    assert [r["id"][:10] for r in listed(ws, "--status", "in-progress")] == [PRESENCE]
    assert records(review_db)[PRESENCE].status is Status.in_progress
    assert [s.value for s in Status] == ["open", "in-progress", "confirmed", "dismissed", "needs-source"]


def test_assignment_is_shown_filtered_and_kept_in_the_history(ws: Path, review_db: Path) -> None:
    assert ok(ws, "review", "assign", PRESENCE, "--to", "ana", "--by", "lead").strip() == (
        f"recorded: {PRESENCE} assigned to ana"
    )
    assert [r["id"][:10] for r in listed(ws, "--assignee", "ana")] == [PRESENCE]
    assert len(listed(ws, "--assignee", "-")) == 6  # nobody's
    assert listed(ws, "--assignee", "ana")[0]["assignee"] == "ana"
    table = ok(ws, "review", "list")
    assert "@ana" in next(line for line in table.splitlines() if line.startswith(PRESENCE))
    assert "assigned to: ana" in ok(ws, "review", "show", PRESENCE)
    ok(ws, "review", "assign", PRESENCE, "--nobody", "--by", "lead")
    assert listed(ws, "--assignee", "ana") == []
    history = ReviewStore(review_db).history(records(review_db)[PRESENCE].fingerprint)
    assert [(h.kind, h.assignee, h.note) for h in history] == [
        (HistoryKind.assign, "ana", "assigned to ana"),
        (HistoryKind.assign, None, "unassigned"),
    ]
    both = cli(ws, "review", "assign", PRESENCE, "--to", "ana", "--nobody")
    assert both.exit_code == 2 and "give --to NAME, or --nobody" in both.output


def test_undo_restores_the_previous_verdict_with_a_new_history_entry(ws: Path, review_db: Path) -> None:
    ok(ws, "review", "mark", PRESENCE, "needs-source", "--by", "ana")
    ok(ws, "review", "mark", PRESENCE, "dismissed", "--reason", "terminology", "--by", "bo")
    ok(ws, "review", "mark", PRESENCE, "confirmed", "--by", "bo")
    assert ok(ws, "review", "undo", "--by", "bo").startswith(f"undone: {PRESENCE} confirmed of ")
    record = records(review_db)[PRESENCE]
    assert (record.status, record.reason, record.reviewer) == (Status.dismissed, "terminology", "bo")
    assert "back to needs-source" in ok(ws, "review", "undo", PRESENCE, "--by", "bo")
    record = records(review_db)[PRESENCE]
    assert (record.status, record.reason, record.reviewer, record.standing) == (
        Status.needs_source,
        None,
        "ana",
        Standing.reviewed,  # the restored verdict keeps the digest it was given with
    )
    nothing = cli(ws, "review", "undo", "--by", "bo")
    assert nothing.exit_code == 2 and "bo has no verdict left to undo" in nothing.output
    assert "back to no verdict" in ok(ws, "review", "undo", "--by", "ana")
    assert records(review_db)[PRESENCE].standing is Standing.new
    steps = [(h.kind.value, h.by, h.from_status.value, h.to_status.value) for h in _history(review_db, PRESENCE)]
    assert steps == [  # nothing deleted: three verdicts, three undos
        ("verdict", "ana", "open", "needs-source"),
        ("verdict", "bo", "needs-source", "dismissed"),
        ("verdict", "bo", "dismissed", "confirmed"),
        ("undo", "bo", "confirmed", "dismissed"),
        ("undo", "bo", "dismissed", "needs-source"),
        ("undo", "ana", "needs-source", "open"),
    ]


def test_undo_never_overrides_a_colleague(ws: Path, review_db: Path) -> None:
    ok(ws, "review", "mark", PRESENCE, "confirmed", "--by", "ana")
    ok(ws, "review", "mark", PRESENCE, "dismissed", "--reason", "misquote", "--by", "bo")
    refused = cli(ws, "review", "undo", "--by", "ana")
    assert refused.exit_code == 2
    assert "bo decided 'dismissed'" in refused.output and "nothing was changed" in refused.output
    assert records(review_db)[PRESENCE].status is Status.dismissed
    ok(ws, "review", "note", PRESENCE, "a note is no decision", "--by", "cy")
    assert "back to confirmed" in ok(ws, "review", "undo", "--by", "bo")


def test_a_bulk_mark_leaves_decided_findings_alone_unless_forced(ws: Path, review_db: Path) -> None:
    weak = [r["id"] for r in listed(ws, "--rule", "weak-attribution")]
    assert len(weak) == 3
    ok(ws, "review", "mark", str(weak[0]), "confirmed", "--by", "ana")
    ok(ws, "review", "mark", str(weak[1]), "in-progress", "--by", "bo")
    out = ok(ws, "review", "mark", "--rule", "weak-attribution", "dismissed", "--reason", "dup", "--by", "cy")
    assert out.strip() == (
        "1 tension(s) marked dismissed. 2 skipped: already decided (ana: confirmed 1, bo: in-progress 1); "
        "--force to override them."
    )
    state = {r["id"]: (r["status"], r["reviewer"]) for r in listed(ws, "--rule", "weak-attribution")}
    assert state == {
        weak[0]: ("confirmed", "ana"),
        weak[1]: ("in-progress", "bo"),
        weak[2]: ("dismissed", "cy"),
    }
    forced = ok(ws, "review", "mark", "--rule", "weak-attribution", "needs-source", "--force", "--by", "cy")
    assert forced.strip() == "3 tension(s) marked needs-source."
    by_speaker = ok(ws, "review", "mark", "--speaker", "lavrov", "confirmed", "--by", "cy")
    assert by_speaker.strip() == "1 tension(s) marked confirmed."
    assert records(review_db)[REMOTE].status is Status.confirmed
    none = cli(ws, "review", "mark", "--rule", "no-such-rule", "confirmed")
    assert none.exit_code == 2 and "no tension of the latest run matches the filters" in none.output


def test_several_notes_per_finding(ws: Path, review_db: Path) -> None:
    ok(ws, "review", "note", PRESENCE, "which map?", "--by", "ana")
    ok(ws, "review", "mark", PRESENCE, "needs-source", "--note", "ask the desk", "--by", "bo")
    ok(ws, "review", "note", PRESENCE, "desk says Aghdam", "--by", "ana")
    with ReviewStore(review_db) as store:
        fingerprint = store.resolve(PRESENCE)
        assert [(n.by, n.text) for n in store.notes(fingerprint)] == [
            ("ana", "which map?"),
            ("bo", "ask the desk"),
            ("ana", "desk says Aghdam"),
        ]
        assert store.record(fingerprint).note == "desk says Aghdam"  # the latest
        assert store.record(fingerprint).status is Status.needs_source  # notes change no verdict
    shown = ok(ws, "review", "show", PRESENCE)
    notes = shown[shown.index("notes:") :]
    assert notes.index("which map?") < notes.index("ask the desk") < notes.index("desk says Aghdam")
    empty = cli(ws, "review", "note", PRESENCE, "   ")
    assert empty.exit_code == 2 and "a note needs some text" in empty.output


def test_a_note_alone_leaves_a_finding_new(ws: Path, review_db: Path) -> None:
    ok(ws, "review", "note", PRESENCE, "first look", "--by", "ana")
    assert records(review_db)[PRESENCE].standing is Standing.new


def test_the_queue_takes_the_list_filters_prefixes_and_confirms_each_decision(ws: Path, review_db: Path) -> None:
    # weak-attribution only: three findings. Dismiss with an ambiguous then a unique prefix, assign one,
    # mark one in progress, undo, then quit.
    answers = "d\nd\ndu\n\na\nbo\ni\n\nu\nq\n"
    result = cli(ws, "review", "--rule", "weak-attribution", "--by", "ana", input=answers)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "[1/3]" in out and "[3/3]" in out
    assert "reason 'd' could be different-scope, different-period, different-measure, duplicate" in out
    assert "recorded: " in out and " dismissed (duplicate) by ana" in out
    assert "assigned to bo" in out and " in-progress by ana" in out
    assert "undone: " in out and "back to no verdict" in out
    weak = listed(ws, "--rule", "weak-attribution")
    assert sorted(str(r["status"]) for r in weak) == ["dismissed", "open", "open"]
    assert [r["assignee"] for r in weak if r["assignee"]] == ["bo"]
    assert out.rstrip().endswith("4 decision(s) saved.")
    only_mine = cli(ws, "review", "--assignee", "bo", "--by", "bo", input="q\n")
    assert "[1/1]" in only_mine.output and "assigned to: bo" in only_mine.output


def test_the_queue_shows_what_changed_since_the_verdict(ws: Path, review_db: Path) -> None:
    ok(ws, "review", "mark", PRESENCE, "confirmed", "--by", "ana")
    seed = ws / "claims" / SEED
    before = "said the center will be established in the Aghdam city."
    seed.write_text(seed.read_text().replace(before, "said the center will be set up in the Aghdam city."))
    assert cli(ws, "run").exit_code == 0
    result = cli(ws, "review", "--status", "changed", "--by", "bo", input="q\n")
    assert "[1/1]" in result.output
    out = result.output
    assert "changed since the verdict of " in out and " by ana:" in out
    assert "- " in out and "established in the Aghdam" in out and "+ " in out and "set up in the Aghdam" in out
    assert out.index("established in the Aghdam city") < out.index("set up in the Aghdam city")
    shown = ok(ws, "review", "show", PRESENCE)
    assert "quote:" in shown  # the field that changed is named


def test_a_reason_prefix_works_for_mark_too(ws: Path, review_db: Path) -> None:
    ok(ws, "review", "mark", PRESENCE, "dismissed", "--reason", "different-p", "--by", "ana")
    assert records(review_db)[PRESENCE].reason == "different-period"
    ambiguous = cli(ws, "review", "mark", PRESENCE, "dismissed", "--reason", "different")
    assert (
        ambiguous.exit_code == 2 and "could be different-scope, different-period, different-measure" in ambiguous.output
    )


def test_a_reviewer_rates_claims(ws: Path, review_db: Path) -> None:
    out = ok(ws, "review", "rate", "akar-staff-stand-by", "--rating", "Misleading", "--value", "2", "--by", "ana")
    assert out.strip() == "recorded: claim akar-staff-stand-by rated 'Misleading' (2/5) by ana"
    # a claim no finding cites is found in the claims folder
    ok(
        ws,
        "review",
        "rate",
        "headline-officers-monitor",
        "--rating",
        "  Accurate ",
        "--note",
        "as reported",
        "--by",
        "bo",
    )
    ok(ws, "review", "rate", "akar-staff-stand-by", "--rating", "False", "--value", "1", "--by", "bo")
    with ReviewStore(review_db) as store:
        ratings = store.claim_ratings()
        assert all(isinstance(r, ClaimRating) for r in ratings)
        assert [(r.claim_id, r.rating, r.value, r.note, r.reviewer) for r in ratings] == [
            ("akar-staff-stand-by", "False", 1, None, "bo"),
            ("headline-officers-monitor", "Accurate", None, "as reported", "bo"),
        ]
        assert set(ClaimRating.model_fields) == {"claim_id", "rating", "value", "note", "reviewer", "decided_at"}
        assert [r.rating for r in store.rating_history("akar-staff-stand-by")] == ["Misleading", "False"]
    listed_json = json.loads(ok(ws, "review", "ratings", "--format", "json"))
    assert [r["claim_id"] for r in listed_json] == ["akar-staff-stand-by", "headline-officers-monitor"]
    assert "Misleading" in ok(ws, "review", "ratings", "akar-staff-stand-by")
    unknown = cli(ws, "review", "rate", "no-such-claim", "--rating", "False")
    assert unknown.exit_code == 2 and "no claim 'no-such-claim' in claims or in a recorded tension" in unknown.output
    out_of_range = cli(ws, "review", "rate", "akar-staff-stand-by", "--rating", "False", "--value", "6")
    assert out_of_range.exit_code == 2 and "6 is not in the range 1<=x<=5" in out_of_range.output
    blank = cli(ws, "review", "rate", "akar-staff-stand-by", "--rating", "  ")
    assert blank.exit_code == 2 and "rating: String should have at least 1 character" in blank.output


def test_a_schema_3_store_migrates_with_its_verdicts_notes_and_history(tmp_path: Path, ws: Path) -> None:
    """A store as the previous release left it: its notes move to the notes table, its verdicts keep
    their staleness, what they saw is kept for diffs, and an old verdict can be undone."""
    path = tmp_path / "v3.db"
    db = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:3]:
        step(db)
    db.execute("PRAGMA user_version = 3")
    db.execute("INSERT INTO runs VALUES (1, 't0', 't1', 'r', 'c', 1, 'durable')")
    snapshot = json.dumps({"claims": [], "support": [], "explanation": [], "message": "m"})
    db.execute(
        "INSERT INTO tensions VALUES ('ab12', 'rule-a', 'high', 'T', 'm', 'S', 'd1', ?, 1, 1, 't1', 't1', 1)",
        (snapshot,),
    )
    db.execute("INSERT INTO verdicts VALUES ('ab12', 'confirmed', NULL, 'why not', 'bo', 't3', 'd1')")
    # a verdict carried over to a reworded finding: its note was copied, not written to the history
    db.execute(
        "INSERT INTO tensions VALUES ('cd34', 'rule-a', 'low', 'T', 'm', 'S', 'd2', ?, 1, 1, 't1', 't1', 1)",
        (snapshot,),
    )
    db.execute("INSERT INTO verdicts VALUES ('cd34', 'dismissed', 'other', 'old note', 'ana', 't1', '')")
    for row in [
        ("ab12", "t2", "ana", "open", "needs-source", None, "look at the map"),
        ("ab12", "t3", "bo", "needs-source", "confirmed", None, "why not"),
        ("cd34", "t4", "factcheck", "dismissed", "dismissed", None, "carried over from 0123: the question reworded"),
    ]:
        db.execute(
            "INSERT INTO history (fingerprint, at, by, from_status, to_status, reason, note) VALUES (?,?,?,?,?,?,?)",
            row,
        )
    db.close()
    with ReviewStore(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        record = store.record("ab12")
        assert (record.status, record.standing, record.note) == (Status.confirmed, Standing.reviewed, "why not")
        assert [n.text for n in store.notes("ab12")] == ["look at the map", "why not"]
        assert store.verdict_snapshot(record) == json.loads(snapshot)
        undone = store.undo("bo")
        assert (undone.undone, undone.restored) == (Status.confirmed, Status.needs_source)
        record = store.record("ab12")
        # the restored verdict's digest was not kept by schema 3: flagged for a second look, not trusted
        assert (record.status, record.reviewer, record.standing) == (Status.needs_source, "ana", Standing.changed)
        assert [h.kind for h in store.history("ab12")] == [HistoryKind.verdict, HistoryKind.verdict, HistoryKind.undo]
        assert [n.text for n in store.notes("cd34")] == ["old note"]
        assert [h.kind for h in store.history("cd34")] == [HistoryKind.carry]
        store.mark("cd34", Status.confirmed, "cy")
        assert store.undo("cy", "cd34").restored is Status.dismissed  # back to the verdict carried over
        assert (store.record("cd34").reason, store.record("cd34").reviewer) == ("other", "factcheck")
        store.rate("some-claim", "False", "cy")
        assert [r.claim_id for r in store.claim_ratings()] == ["some-claim"]


def _history(db: Path, short: str) -> list:
    with ReviewStore(db) as store:
        return store.history(store.resolve(short))
