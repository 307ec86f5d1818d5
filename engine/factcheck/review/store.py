"""The review store: SQLite (WAL, versioned schema, every write one transaction).

Tables (readable with any SQLite tool):
  runs(id, started_at, finished_at, engine, rules_digest, claims_digest, tension_count)
  tensions(fingerprint, rule, severity, title, message, speakers, content_digest, snapshot,
           first_seen_run, last_seen_run, first_seen_at, last_seen_at, active)
      snapshot: the tension as `factcheck run --format json` prints it; active: fired in the latest run
  verdicts(fingerprint, status, reason, note, reviewer, decided_at, content_digest)
      content_digest: of the rule and bound claims when the verdict was given (staleness check)
  history(id, fingerprint, at, by, from_status, to_status, reason, note, kind, digest, undoes, assignee)
      -- append-only audit trail; kind: verdict, note, assign, undo or carry; digest: the verdict's
      content_digest after the entry; undoes: the id of the verdict entry an undo took back
  snapshots(digest, snapshot)   -- a tension's snapshot by content digest: what a verdict saw, to diff against
  notes(id, fingerprint, at, by, text)   -- any number of notes per finding
  assignments(fingerprint, assignee, by, at)   -- who is to review a finding
  claim_ratings(claim_id, rating, value, note, reviewer, decided_at)   -- a reviewer's rating of a claim
  rating_history(id, claim_id, at, by, rating, value, note)   -- append-only
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from factcheck.errors import StoreError, UsageError
from factcheck.load.files import open_regular
from factcheck.model.rule import Severity
from factcheck.model.tension import Tension
from factcheck.review.verdicts import ClaimRating, DismissReason, HistoryKind, ReviewState, Standing, Status
from factcheck.tensions.build import fingerprint as tuple_fingerprint
from factcheck.tensions.ids import clean_prefix, resolve_prefix

DEFAULT_DB = Path(".factcheck") / "review.db"
DB_ENV = "FACTCHECK_DB"
BUSY_TIMEOUT_MS = 30_000


def _run_statements(db: sqlite3.Connection, script: str) -> None:
    """executescript() would COMMIT the migration's transaction half-way; run statement by statement."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _migration_1(db: sqlite3.Connection) -> None:
    _run_statements(
        db,
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,
            rules_digest TEXT NOT NULL, claims_digest TEXT NOT NULL, tension_count INTEGER NOT NULL);
        CREATE TABLE tensions (
            fingerprint TEXT PRIMARY KEY, rule TEXT NOT NULL, severity TEXT NOT NULL, title TEXT NOT NULL,
            message TEXT NOT NULL, speakers TEXT NOT NULL, content_digest TEXT NOT NULL, snapshot TEXT NOT NULL,
            first_seen_run INTEGER NOT NULL REFERENCES runs(id), last_seen_run INTEGER NOT NULL REFERENCES runs(id),
            first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, active INTEGER NOT NULL);
        CREATE TABLE verdicts (
            fingerprint TEXT PRIMARY KEY, status TEXT NOT NULL, reason TEXT, note TEXT, reviewer TEXT NOT NULL,
            decided_at TEXT NOT NULL, content_digest TEXT NOT NULL);
        CREATE TABLE history (
            id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, at TEXT NOT NULL, by TEXT NOT NULL,
            from_status TEXT NOT NULL, to_status TEXT NOT NULL, reason TEXT, note TEXT);
    """,
    )


def _migration_2(db: sqlite3.Connection) -> None:
    """Which engine a run used, and indexes for the review queue's filters."""
    _run_statements(
        db,
        """
        ALTER TABLE runs ADD COLUMN engine TEXT NOT NULL DEFAULT 'durable';
        CREATE INDEX tensions_by_rule ON tensions(rule);
        CREATE INDEX history_by_fingerprint ON history(fingerprint, id);
    """,
    )


def _migration_3(db: sqlite3.Connection) -> None:
    """The claim tuples that support each finding (by their one-tuple fingerprints), so that a verdict
    follows a finding whose wording changed while its reports stayed, and v1 verdicts carry over."""
    _run_statements(
        db,
        """
        CREATE TABLE support (fingerprint TEXT NOT NULL, tuple TEXT NOT NULL);
        CREATE INDEX support_by_tuple ON support(tuple);
        CREATE INDEX support_by_fingerprint ON support(fingerprint);
    """,
    )


def _migration_4(db: sqlite3.Connection) -> None:
    """The review workflow (several notes, assignment, undo, what changed since a verdict) and claim
    ratings. Existing notes move to the notes table; existing carried-over entries are marked as such;
    a verdict's note no history entry holds (one carried over) becomes a note too; the latest entry of each
    finding learns its verdict's digest; the snapshot a current verdict saw is the tension's snapshot now."""
    _run_statements(
        db,
        """
        ALTER TABLE history ADD COLUMN kind TEXT NOT NULL DEFAULT 'verdict';
        ALTER TABLE history ADD COLUMN digest TEXT;
        ALTER TABLE history ADD COLUMN undoes INTEGER;
        ALTER TABLE history ADD COLUMN assignee TEXT;
        UPDATE history SET kind = 'carry' WHERE by = 'factcheck' AND note LIKE 'carried over from %';
        UPDATE history SET reason = (SELECT reason FROM verdicts v WHERE v.fingerprint = history.fingerprint
                                     AND v.status = history.to_status)
            WHERE kind = 'carry' AND reason IS NULL;
        UPDATE history SET digest = (SELECT content_digest FROM verdicts v WHERE v.fingerprint = history.fingerprint)
            WHERE id IN (SELECT MAX(id) FROM history GROUP BY fingerprint);
        CREATE INDEX history_by_reviewer ON history(by, id);
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, at TEXT NOT NULL, by TEXT NOT NULL, text TEXT NOT NULL);
        CREATE INDEX notes_by_fingerprint ON notes(fingerprint, id);
        INSERT INTO notes (fingerprint, at, by, text)
            SELECT fingerprint, at, by, note FROM history WHERE note IS NOT NULL AND kind = 'verdict' ORDER BY id;
        INSERT INTO notes (fingerprint, at, by, text)
            SELECT fingerprint, decided_at, reviewer, note FROM verdicts v
            WHERE note IS NOT NULL AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.fingerprint = v.fingerprint);
        CREATE TABLE assignments (
            fingerprint TEXT PRIMARY KEY, assignee TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL);
        CREATE TABLE snapshots (digest TEXT PRIMARY KEY, snapshot TEXT NOT NULL);
        INSERT OR IGNORE INTO snapshots (digest, snapshot)
            SELECT t.content_digest, t.snapshot FROM tensions t JOIN verdicts v USING (fingerprint)
            WHERE v.content_digest = t.content_digest;
        CREATE TABLE claim_ratings (
            claim_id TEXT PRIMARY KEY, rating TEXT NOT NULL, value INTEGER, note TEXT, reviewer TEXT NOT NULL,
            decided_at TEXT NOT NULL);
        CREATE TABLE rating_history (
            id INTEGER PRIMARY KEY, claim_id TEXT NOT NULL, at TEXT NOT NULL, by TEXT NOT NULL, rating TEXT NOT NULL,
            value INTEGER, note TEXT);
        CREATE INDEX rating_history_by_claim ON rating_history(claim_id, id);
    """,
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migration_1, _migration_2, _migration_3, _migration_4]
SCHEMA_VERSION = len(MIGRATIONS)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def default_db_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


@dataclass(frozen=True)
class Record:
    """A tension as the store knows it, with its verdict and standing."""

    fingerprint: str
    rule: str
    severity: Severity
    title: str
    message: str
    speakers: str
    snapshot: dict[str, Any]
    active: bool
    first_seen_at: str
    last_seen_at: str
    status: Status
    standing: Standing
    reason: str | None
    note: str | None
    reviewer: str | None
    decided_at: str | None
    assignee: str | None = None
    content_digest: str = ""
    verdict_digest: str | None = None  # the content digest when the verdict was given

    @property
    def review(self) -> ReviewState:
        return ReviewState(self.status, self.standing)

    def has_speaker(self, wanted: str) -> bool:
        """Whether a bound claim's speaker has this id, or a name containing it (any case)."""
        wanted = wanted.lower()
        return any(
            wanted == c["speaker"]["id"] or wanted in c["speaker"]["name"].lower() for c in self.snapshot["claims"]
        )

    def has_topic(self, wanted: str) -> bool:
        """Whether a bound claim has this topic (any case)."""
        wanted = wanted.lower()
        return any(wanted in (t.lower() for t in c.get("topics", [])) for c in self.snapshot["claims"])


@dataclass(frozen=True)
class HistoryEntry:
    at: str
    by: str
    from_status: Status
    to_status: Status
    reason: DismissReason | None
    note: str | None
    kind: HistoryKind = HistoryKind.verdict
    assignee: str | None = None
    id: int = 0


@dataclass(frozen=True)
class Note:
    at: str
    by: str
    text: str


@dataclass(frozen=True)
class Skipped:
    """A finding a bulk mark left alone: a reviewer had already decided it."""

    fingerprint: str
    status: Status
    reviewer: str


@dataclass(frozen=True)
class BulkResult:
    marked: list[str]
    skipped: list[Skipped]


@dataclass(frozen=True)
class Undone:
    """What an undo took back, and the state it restored (None: no verdict, as never reviewed)."""

    fingerprint: str
    undone: Status
    undone_at: str
    restored: Status | None


class ReviewStore:
    def __init__(self, path: Path, create: bool = True, verify: bool = False) -> None:
        """Open (or create) the store. With `verify`, also check every page for damage: a run does so
        before evaluating, so a damaged store fails in seconds, not after the evaluation."""
        self.path = path
        try:
            exists = _check_file(path)
            if not exists:
                if not create:
                    raise StoreError(f"{path}: no review database yet; run 'factcheck run' first")
                path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot use it ({exc.strerror or exc}); choose another --db") from None
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self.db = self._connect(verify)
                return
            except sqlite3.Error as exc:
                if not _busy(exc) or time.monotonic() > deadline:
                    raise store_error(path, exc) from None
                time.sleep(0.05)  # another run is creating or migrating it: wait, as for any write

    def _connect(self, verify: bool) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA trusted_schema = OFF")  # a shared store's schema runs no functions of ours
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA foreign_keys = ON")
            self.db = db
            self._migrate()
            if verify and (problem := db.execute("PRAGMA quick_check(1)").fetchone()[0]) != "ok":
                raise StoreError(
                    f"{self.path}: the review database is damaged ({problem}); move it aside and run again, "
                    "it was left untouched"
                )
            return db
        except BaseException:
            db.close()
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue instead of failing."""
        with self.reading():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """Any SQLite failure (busy past the timeout, a read-only file, a full disk, damage) as one line."""
        try:
            yield self.db
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from None

    def _migrate(self) -> None:
        with self.transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _newer(self.path, version)
            for step in MIGRATIONS[version:]:
                step(db)
            if version < SCHEMA_VERSION:
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # -- runs -------------------------------------------------------------------------------------
    def record_run(
        self,
        tensions: list[Tension],
        digests: dict[str, str],
        engine: str,
        rules_digest: str,
        claims_digest: str,
        started_at: str,
    ) -> tuple[int, dict[str, ReviewState]]:
        """Record one complete run: upsert what fired, mark the rest as no longer firing. Returns the run's
        id and each of its tensions as recorded, read in the same transaction: a run recorded right
        after may already have marked them as no longer firing."""
        finished = now()
        with self.transaction() as db:
            run_id = db.execute(
                "INSERT INTO runs (started_at, finished_at, engine, rules_digest, claims_digest, tension_count)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (started_at, finished, engine, rules_digest, claims_digest, len(tensions)),
            ).lastrowid
            assert run_id is not None
            db.execute("UPDATE tensions SET active = 0")
            for tension in tensions:
                _carry_verdict_over(db, tension, finished)
                db.execute(
                    """INSERT INTO tensions (fingerprint, rule, severity, title, message, speakers, content_digest,
                           snapshot, first_seen_run, last_seen_run, first_seen_at, last_seen_at, active)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                       ON CONFLICT (fingerprint) DO UPDATE SET rule = excluded.rule, severity = excluded.severity,
                           title = excluded.title, message = excluded.message, speakers = excluded.speakers,
                           content_digest = excluded.content_digest, snapshot = excluded.snapshot,
                           last_seen_run = excluded.last_seen_run, last_seen_at = excluded.last_seen_at, active = 1""",
                    (
                        tension.id,
                        tension.rule,
                        tension.severity.value,
                        tension.title,
                        tension.message,
                        tension.speaker_names,
                        digests[tension.id],
                        json.dumps(tension.model_dump(mode="json"), ensure_ascii=False),
                        run_id,
                        run_id,
                        finished,
                        finished,
                    ),
                )
            recorded = {
                row["fingerprint"]: ReviewState(_status(row), _standing(row))
                for row in db.execute(
                    "SELECT t.fingerprint, t.active, t.content_digest, v.status, v.content_digest AS verdict_digest"
                    " FROM tensions t LEFT JOIN verdicts v USING (fingerprint) WHERE t.active = 1"
                )
            }
        return run_id, recorded

    def latest_run(self) -> sqlite3.Row | None:
        with self.reading() as db:
            row: sqlite3.Row | None = db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return row

    # -- reading ------------------------------------------------------------------------------------
    _SELECT = """SELECT t.*, v.status, v.reason, v.reviewer, v.decided_at, v.content_digest AS verdict_digest,
                        (SELECT n.text FROM notes n WHERE n.fingerprint = t.fingerprint ORDER BY n.id DESC LIMIT 1)
                            AS note,
                        a.assignee
                 FROM tensions t LEFT JOIN verdicts v USING (fingerprint)
                      LEFT JOIN assignments a ON a.fingerprint = t.fingerprint"""

    def records(self, include_resolved: bool = True) -> list[Record]:
        with self.reading() as db:
            rows = db.execute(self._SELECT + ("" if include_resolved else " WHERE t.active = 1")).fetchall()
        return sorted((_record(r) for r in rows), key=lambda r: (-r.severity.rank, r.rule, r.fingerprint))

    def record(self, fingerprint: str) -> Record:
        with self.reading() as db:
            row = db.execute(self._SELECT + " WHERE t.fingerprint = ?", (fingerprint,)).fetchone()
        if row is None:
            raise UsageError(f"no recorded tension '{fingerprint}'")
        return _record(row)

    def resolve(self, prefix: str) -> str:
        """A unique fingerprint prefix -> the fingerprint (like git's short ids)."""
        with self.reading() as db:
            rows = db.execute(
                "SELECT fingerprint FROM tensions WHERE fingerprint LIKE ? ORDER BY fingerprint LIMIT 11",
                (clean_prefix(prefix) + "%",),
            ).fetchall()
        return resolve_prefix(prefix, (str(r[0]) for r in rows), where="recorded ")

    def history(self, fingerprint: str) -> list[HistoryEntry]:
        with self.reading() as db:
            rows = db.execute(
                "SELECT id, at, by, from_status, to_status, reason, note, kind, assignee FROM history"
                " WHERE fingerprint = ? ORDER BY id",
                (fingerprint,),
            ).fetchall()
        try:
            return [
                HistoryEntry(
                    at,
                    by,
                    Status(old),
                    Status(new),
                    DismissReason(reason) if reason else None,
                    note,
                    HistoryKind(kind),
                    assignee,
                    entry,
                )
                for entry, at, by, old, new, reason, note, kind, assignee in rows
            ]
        except ValueError:
            raise StoreError(
                f"the review database is damaged: the history of {fingerprint!r} has an unknown status or reason",
                "move the database aside and run again",
            ) from None

    def notes(self, fingerprint: str) -> list[Note]:
        with self.reading() as db:
            rows = db.execute(
                "SELECT at, by, text FROM notes WHERE fingerprint = ? ORDER BY id", (fingerprint,)
            ).fetchall()
        return [Note(*row) for row in rows]

    def verdict_snapshot(self, record: Record) -> dict[str, Any] | None:
        """The finding as its reviewer saw it when the verdict was given (None: not kept, e.g. a verdict
        given before factcheck kept snapshots, or no verdict)."""
        if not record.verdict_digest:
            return None
        with self.reading() as db:
            row = db.execute("SELECT snapshot FROM snapshots WHERE digest = ?", (record.verdict_digest,)).fetchone()
        if row is None:
            return None
        try:
            snapshot = json.loads(row[0])
        except (ValueError, TypeError, RecursionError):
            return None
        return snapshot if isinstance(snapshot, dict) else None

    # -- verdicts -------------------------------------------------------------------------------
    def mark(
        self,
        fingerprint: str,
        status: Status,
        reviewer: str,
        reason: DismissReason | None = None,
        note: str | None = None,
    ) -> None:
        """Set a verdict and append it to the history (with a note, kept among the finding's notes)."""
        _check_verdict(status, reason)
        with self.transaction() as db:
            _mark(db, fingerprint, status, reviewer, reason, note, now())

    def mark_many(
        self,
        fingerprints: list[str],
        status: Status,
        reviewer: str,
        reason: DismissReason | None = None,
        note: str | None = None,
        force: bool = False,
    ) -> BulkResult:
        """A bulk mark in one transaction: only findings nobody has decided (status open), unless `force`;
        the ones left alone are returned, with who decided them."""
        _check_verdict(status, reason)
        marked: list[str] = []
        skipped: list[Skipped] = []
        at = now()
        with self.transaction() as db:
            for fingerprint in fingerprints:
                row = _current(db, fingerprint)
                if not force and row["status"] not in (None, Status.open.value):
                    skipped.append(Skipped(fingerprint, Status(row["status"]), row["reviewer"]))
                    continue
                _mark(db, fingerprint, status, reviewer, reason, note, at)
                marked.append(fingerprint)
        return BulkResult(marked, skipped)

    def add_note(self, fingerprint: str, reviewer: str, note: str) -> None:
        """A note without a change of verdict, kept among the finding's notes and in its history."""
        text = _note_text(note)
        if text is None:
            raise UsageError("a note needs some text")
        with self.transaction() as db:
            row = _current(db, fingerprint)
            at = now()
            status = row["status"] or Status.open.value
            db.execute(
                "INSERT INTO notes (fingerprint, at, by, text) VALUES (?, ?, ?, ?)", (fingerprint, at, reviewer, text)
            )
            _append_history(
                db,
                fingerprint,
                at,
                reviewer,
                status,
                status,
                row["reason"],
                text,
                HistoryKind.note,
                row["verdict_digest"],
            )

    def assign(self, fingerprint: str, assignee: str | None, by: str) -> None:
        """Assign the finding to a reviewer (None: unassign); kept in its history."""
        assignee = (assignee or "").strip() or None
        with self.transaction() as db:
            row = _current(db, fingerprint)
            at = now()
            if assignee is None:
                db.execute("DELETE FROM assignments WHERE fingerprint = ?", (fingerprint,))
            else:
                db.execute(
                    "INSERT INTO assignments (fingerprint, assignee, by, at) VALUES (?, ?, ?, ?) ON CONFLICT"
                    " (fingerprint) DO UPDATE SET assignee = excluded.assignee, by = excluded.by, at = excluded.at",
                    (fingerprint, assignee, by, at),
                )
            status = row["status"] or Status.open.value
            _append_history(
                db,
                fingerprint,
                at,
                by,
                status,
                status,
                row["reason"],
                f"assigned to {assignee}" if assignee else "unassigned",
                HistoryKind.assign,
                row["verdict_digest"],
                assignee=assignee,
            )

    def undo(self, reviewer: str, fingerprint: str | None = None) -> Undone:
        """Take back the reviewer's last verdict (on `fingerprint`, or on any finding): a new history
        entry restores the verdict before it; nothing is deleted from the history. Refused when someone
        decided the finding since: undoing would silently override them."""
        with self.transaction() as db:
            mine = db.execute(
                f"SELECT * FROM history WHERE by = ? AND kind = 'verdict' AND {_NOT_UNDONE}"
                + (" AND fingerprint = ?" if fingerprint else "")
                + " ORDER BY id DESC LIMIT 1",
                (reviewer, fingerprint) if fingerprint else (reviewer,),
            ).fetchone()
            if mine is None:
                where = f" on {fingerprint[:12]}" if fingerprint else ""
                raise UsageError(f"{reviewer} has no verdict{where} left to undo")
            target = mine["fingerprint"]
            later = db.execute(
                f"SELECT * FROM history WHERE fingerprint = ? AND kind IN ('verdict', 'carry') AND {_NOT_UNDONE}"
                " ORDER BY id DESC LIMIT 1",
                (target,),
            ).fetchone()
            if later["id"] != mine["id"]:
                raise UsageError(
                    f"{target[:12]}: {later['by']} decided '{later['to_status']}' at {later['at']}, after your "
                    f"'{mine['to_status']}'; undoing yours would override theirs, so nothing was changed"
                )
            before = db.execute(
                f"SELECT * FROM history WHERE fingerprint = ? AND kind IN ('verdict', 'carry') AND {_NOT_UNDONE}"
                " AND id < ? ORDER BY id DESC LIMIT 1",
                (target, mine["id"]),
            ).fetchone()
            restored, reason, digest = Status.open.value, None, None
            if before is None:
                db.execute("DELETE FROM verdicts WHERE fingerprint = ?", (target,))  # as never reviewed
            else:
                restored, reason = before["to_status"], before["reason"]
                if restored == Status.dismissed.value and reason is None:  # a carry an old store kept no reason of
                    reason = DismissReason.other.value
                digest = before["digest"] or ""  # unknown (an entry older than schema 4): flagged for a look
                db.execute(
                    "UPDATE verdicts SET status = ?, reason = ?, note = ?, reviewer = ?, decided_at = ?,"
                    " content_digest = ? WHERE fingerprint = ?",
                    (restored, reason, before["note"], before["by"], before["at"], digest, target),
                )
            _append_history(
                db,
                target,
                now(),
                reviewer,
                mine["to_status"],
                restored,
                reason,
                f"undid '{mine['to_status']}' of {mine['at']}",
                HistoryKind.undo,
                digest,
                undoes=mine["id"],
            )
        try:
            return Undone(
                target, Status(mine["to_status"]), mine["at"], Status(restored) if before is not None else None
            )
        except ValueError:
            raise StoreError(
                f"the review database is damaged: the history of {target!r} has an unknown status",
                "move the database aside and run again",
            ) from None

    # -- claim ratings ------------------------------------------------------------------------------
    def rate(
        self, claim_id: str, rating: str, reviewer: str, value: int | None = None, note: str | None = None
    ) -> ClaimRating:
        """Rate a claim (ClaimReview's reviewRating); the latest rating stands, every one is kept."""
        try:
            given = ClaimRating(
                claim_id=claim_id,
                rating=" ".join(rating.split()),
                value=value,
                note=_note_text(note),
                reviewer=reviewer,
                decided_at=now(),
            )
        except ValidationError as exc:
            problem = exc.errors()[0]
            field = ".".join(str(p) for p in problem["loc"])
            raise UsageError(f"rating of '{claim_id}': {field}: {problem['msg']}") from None
        with self.transaction() as db:
            db.execute(
                """INSERT INTO claim_ratings (claim_id, rating, value, note, reviewer, decided_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (claim_id) DO UPDATE SET rating = excluded.rating, value = excluded.value,
                       note = excluded.note, reviewer = excluded.reviewer, decided_at = excluded.decided_at""",
                (given.claim_id, given.rating, given.value, given.note, given.reviewer, given.decided_at),
            )
            db.execute(
                "INSERT INTO rating_history (claim_id, at, by, rating, value, note) VALUES (?, ?, ?, ?, ?, ?)",
                (given.claim_id, given.decided_at, given.reviewer, given.rating, given.value, given.note),
            )
        return given

    def claim_ratings(self) -> list[ClaimRating]:
        """Every rated claim's current rating, by claim id."""
        with self.reading() as db:
            rows = db.execute(
                "SELECT claim_id, rating, value, note, reviewer, decided_at FROM claim_ratings ORDER BY claim_id"
            ).fetchall()
        return [_rating(row) for row in rows]

    def rating_history(self, claim_id: str) -> list[ClaimRating]:
        """Every rating a claim was given, oldest first."""
        with self.reading() as db:
            rows = db.execute(
                "SELECT claim_id, rating, value, note, by AS reviewer, at AS decided_at FROM rating_history"
                " WHERE claim_id = ? ORDER BY id",
                (claim_id,),
            ).fetchall()
        return [_rating(row) for row in rows]


_NOT_UNDONE = "id NOT IN (SELECT undoes FROM history WHERE undoes IS NOT NULL)"  # ids are unique store-wide


def _check_verdict(status: Status, reason: DismissReason | None) -> None:
    if status is Status.dismissed and reason is None:
        raise UsageError(f"dismissing needs a reason: one of {', '.join(r.value for r in DismissReason)}")
    if status is not Status.dismissed and reason is not None:
        raise UsageError("a reason goes with 'dismissed' only; use --note for other remarks")


def _note_text(note: str | None) -> str | None:
    return note.strip() or None if note is not None else None


def _mark(
    db: sqlite3.Connection,
    fingerprint: str,
    status: Status,
    reviewer: str,
    reason: DismissReason | None,
    note: str | None,
    at: str,
) -> None:
    row = _current(db, fingerprint)
    previous = row["status"] or Status.open.value
    note = _note_text(note)
    # what the reviewer saw, kept by content digest: "changed since review" diffs against it
    db.execute(
        "INSERT OR IGNORE INTO snapshots (digest, snapshot) SELECT content_digest, snapshot FROM tensions"
        " WHERE fingerprint = ?",
        (fingerprint,),
    )
    db.execute(
        """INSERT INTO verdicts (fingerprint, status, reason, note, reviewer, decided_at, content_digest)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (fingerprint) DO UPDATE SET status = excluded.status, reason = excluded.reason,
               note = COALESCE(excluded.note, verdicts.note), reviewer = excluded.reviewer,
               decided_at = excluded.decided_at, content_digest = excluded.content_digest""",
        (fingerprint, status.value, reason.value if reason else None, note, reviewer, at, row["content_digest"]),
    )
    if note is not None:
        db.execute(
            "INSERT INTO notes (fingerprint, at, by, text) VALUES (?, ?, ?, ?)", (fingerprint, at, reviewer, note)
        )
    _append_history(
        db,
        fingerprint,
        at,
        reviewer,
        previous,
        status.value,
        reason.value if reason else None,
        note,
        HistoryKind.verdict,
        row["content_digest"],
    )


def _rating(row: sqlite3.Row) -> ClaimRating:
    try:
        return ClaimRating(**dict(row))
    except ValidationError:
        raise StoreError(
            f"the review database is damaged: the rating of {row['claim_id']!r} is not a valid rating",
            "move the database aside and run again",
        ) from None


def _carry_verdict_over(db: sqlite3.Connection, tension: Tension, at: str) -> None:
    """Record the finding's supporting tuples; a finding without a verdict takes the latest verdict of a
    finding that shared one of them (or of a v1 tension that was one of them), flagged for a second look."""
    names = [c.binding for c in tension.claims]
    tuples = [tuple_fingerprint(tension.rule, dict(zip(names, ids, strict=True))) for ids in tension.support]
    marks = ", ".join("?" * len(tuples))
    if tuples and db.execute("SELECT 1 FROM verdicts WHERE fingerprint = ?", (tension.id,)).fetchone() is None:
        previous = db.execute(
            f"SELECT * FROM verdicts WHERE fingerprint != ? AND (fingerprint IN ({marks}) OR fingerprint IN "
            f"(SELECT fingerprint FROM support WHERE tuple IN ({marks}))) ORDER BY decided_at DESC LIMIT 1",
            (tension.id, *tuples, *tuples),
        ).fetchone()
        if previous is not None:
            # the previous finding's digest, never this one's: flagged for a second look, and "what changed"
            # diffs against what its reviewer saw
            db.execute(
                "INSERT INTO verdicts (fingerprint, status, reason, note, reviewer, decided_at, content_digest)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    tension.id,
                    *(previous[k] for k in ("status", "reason", "note", "reviewer", "decided_at", "content_digest")),
                ),
            )
            db.execute(
                "INSERT INTO notes (fingerprint, at, by, text) SELECT ?, at, by, text FROM notes"
                " WHERE fingerprint = ? ORDER BY id",
                (tension.id, previous["fingerprint"]),
            )
            db.execute(
                "INSERT OR IGNORE INTO assignments (fingerprint, assignee, by, at) SELECT ?, assignee, by, at"
                " FROM assignments WHERE fingerprint = ?",
                (tension.id, previous["fingerprint"]),
            )
            note = f"carried over from {previous['fingerprint'][:12]}: the same reports, the question reworded"
            _append_history(
                db,
                tension.id,
                at,
                "factcheck",
                previous["status"],
                previous["status"],
                previous["reason"],
                note,
                HistoryKind.carry,
                previous["content_digest"],
            )
    db.execute("DELETE FROM support WHERE fingerprint = ?", (tension.id,))
    db.executemany("INSERT INTO support (fingerprint, tuple) VALUES (?, ?)", [(tension.id, t) for t in tuples])


def _current(db: sqlite3.Connection, fingerprint: str) -> sqlite3.Row:
    """The tension's content digest with its current verdict (status, reason, reviewer, digest), if any."""
    row: sqlite3.Row | None = db.execute(
        "SELECT t.content_digest, v.status, v.reason, v.reviewer, v.content_digest AS verdict_digest"
        " FROM tensions t LEFT JOIN verdicts v USING (fingerprint) WHERE t.fingerprint = ?",
        (fingerprint,),
    ).fetchone()
    if row is None:
        raise UsageError(f"no recorded tension '{fingerprint}'")
    return row


def _append_history(
    db: sqlite3.Connection,
    fingerprint: str,
    at: str,
    by: str,
    from_status: str,
    to_status: str,
    reason: str | None,
    note: str | None,
    kind: HistoryKind,
    digest: str | None,
    assignee: str | None = None,
    undoes: int | None = None,
) -> None:
    db.execute(
        "INSERT INTO history (fingerprint, at, by, from_status, to_status, reason, note, kind, digest, assignee,"
        " undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (fingerprint, at, by, from_status, to_status, reason, note, kind.value, digest, assignee, undoes),
    )


def _status(row: sqlite3.Row) -> Status:
    return Status(row["status"]) if row["status"] else Status.open


def _standing(row: sqlite3.Row) -> Standing:
    if not row["active"]:
        return Standing.resolved
    if row["status"] is None:
        return Standing.new
    if row["verdict_digest"] != row["content_digest"]:
        return Standing.changed
    return Standing.reviewed


def _record(row: sqlite3.Row) -> Record:
    try:
        status, standing, severity = _status(row), _standing(row), Severity(row["severity"])
    except ValueError:
        raise _damaged(row, "an unknown status or severity") from None
    return Record(
        fingerprint=row["fingerprint"],
        rule=row["rule"],
        severity=severity,
        title=row["title"],
        message=row["message"],
        speakers=row["speakers"],
        snapshot=_snapshot(row),
        active=bool(row["active"]),
        first_seen_at=row["first_seen_at"],
        last_seen_at=row["last_seen_at"],
        status=status,
        standing=standing,
        reason=row["reason"],
        note=row["note"],
        reviewer=row["reviewer"],
        decided_at=row["decided_at"],
        assignee=row["assignee"],
        content_digest=row["content_digest"],
        verdict_digest=row["verdict_digest"],
    )


def _snapshot(row: sqlite3.Row) -> dict[str, Any]:
    try:
        snapshot = json.loads(row["snapshot"])
    except (ValueError, TypeError, RecursionError):
        snapshot = None
    if not isinstance(snapshot, dict):
        raise _damaged(row, "an unreadable snapshot")
    return snapshot


def _damaged(row: sqlite3.Row, what: str) -> StoreError:
    return StoreError(
        f"the review database is damaged: tension {row['fingerprint']!r} has {what}",
        "move the database aside and run again",
    )


def _check_file(path: Path) -> bool:
    """Whether the store exists; refuses, before SQLite touches it, what is not a store of ours: a folder,
    a FIFO or device (it would block), a file that is not SQLite, or one a newer factcheck wrote (opening
    it would change its header)."""
    try:
        with open_regular(path) as file:  # a FIFO or device in its place is refused, not waited on
            header = file.read(100)
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        raise StoreError(f"{path}: is a folder, not a review database; choose another --db") from None
    except OSError as exc:
        if exc.errno != errno.EINVAL:
            raise
        raise StoreError(f"{path}: is not a regular file, so not a review database; choose another --db") from None
    if header and not header.startswith(b"SQLite format 3\x00"):
        raise StoreError(f"{path}: not an SQLite database; it was left untouched (use another --db)")
    if not header:
        return True
    page_size = int.from_bytes(header[16:18], "big")
    if len(header) < 100 or header[21:24] != b"\x40\x20\x20" or not (page_size == 1 or 512 <= page_size <= 32768):
        raise StoreError(
            f"{path}: not a usable review database (its header is damaged); move it aside, it was left untouched"
        )
    if (version := int.from_bytes(header[60:64], "big")) > SCHEMA_VERSION:
        raise _newer(path, version)
    return True


def _newer(path: Path, version: int) -> StoreError:
    return StoreError(
        f"{path}: written by a newer factcheck (schema {version}, this one knows {SCHEMA_VERSION}); "
        "it was left untouched: upgrade factcheck, or use another --db"
    )


def _busy(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """What a failure of SQLite means for the person running factcheck, and what to do about it."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(
            f"{path}: busy: another factcheck has been writing to it for {BUSY_TIMEOUT_MS // 1000} s; "
            "it is healthy, try again when that one is done"
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return StoreError(
            f"{path}: cannot write to the review database or its folder ({exc}); "
            "make both writable, or choose another --db"
        )
    if code == sqlite3.SQLITE_FULL:
        return StoreError(f"{path}: the disk is full ({exc}); free some space and run again")
    if code == sqlite3.SQLITE_IOERR:
        return StoreError(f"{path}: cannot read or write the review database ({exc}); check the disk and run again")
    return StoreError(f"{path}: not a usable review database ({exc}); move it aside, it was left untouched")
