"""The review page as a WSGI application: server-rendered HTML over the review store, no script.

Every request opens the store afresh (SQLite in WAL mode), so the page and the CLI see each other's
decisions at once; nothing is cached across requests. Every form carries the session's CSRF token, and a
POST is refused unless its Origin (or Referer) is this server; the Host header must name this server, so
that another site cannot reach it through DNS rebinding. Everything from claims is hostile text: Jinja2
escapes it, control and bidi characters are replaced first, and only http(s) URLs become links."""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Flask, abort, flash, redirect, render_template, request, session, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from factcheck.errors import StoreError, UsageError
from factcheck.model.rule import Severity
from factcheck.report.safe_text import for_terminal, safe_link
from factcheck.review.changes import Change, changes
from factcheck.review.filters import UNASSIGNED, Filters, StatusFilter, select
from factcheck.review.store import HistoryEntry, Note, Record, ReviewStore
from factcheck.review.verdicts import DismissReason, Standing, Status, reason_from_prefix
from factcheck.tensions.ids import SHORT_ID

LIMIT = 200  # findings on one page: more is unreadable; the filters narrow
ACTIONS = [Status.confirmed, Status.needs_source, Status.in_progress, Status.open]
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
FILTER_KEYS = ("status", "rule", "speaker", "topic", "assignee", "min_severity")

# Script none, styles and images from this server only, forms to it only, never framed.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(frozen=True)
class Settings:
    db: Path
    host: str
    port: int
    reviewer: str  # who decides when the page was not told a name


@dataclass(frozen=True)
class Card:
    """One finding as the page shows it."""

    record: Record
    short: str
    notes: list[Note]
    history: list[HistoryEntry]
    changed: list[Change] | None  # for a verdict changed since review; None: what it saw was not kept


def create_app(settings: Settings) -> Flask:
    app = Flask(__name__)
    app.secret_key = secrets.token_bytes(32)  # a fresh key per server: its sessions (and tokens) end with it
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="factcheck_session",
        MAX_CONTENT_LENGTH=64 * 1024,  # a form of notes, not an upload
    )
    app.jinja_env.autoescape = True  # also for templates not named .html
    app.jinja_env.finalize = _finalize
    app.jinja_env.filters["link"] = _link
    app.jinja_env.globals.update(
        statuses=[s.value for s in StatusFilter],
        actions=ACTIONS,
        reasons=[r.value for r in DismissReason],
        severities=[s.value for s in sorted(Severity, key=lambda s: -s.rank)],
        unassigned=UNASSIGNED,
        Standing=Standing,
    )

    @app.before_request
    def _guard() -> None:
        if not _host_allowed(request.host, settings):
            abort(400, "this server answers only to its own address")
        session.setdefault("csrf", secrets.token_urlsafe(32))
        if request.method == "POST":
            _check_post(request.host)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"  # source links do not learn this page's address
        response.headers["Cache-Control"] = "no-store"  # a decision made elsewhere shows on the next load
        return response

    @app.errorhandler(StoreError)
    def _store_error(exc: StoreError) -> tuple[str, int]:
        return render_template("error.html", message=str(exc)), 503

    @app.get("/")
    def index() -> str:
        filters = _filters(request.args)
        with _store(settings) as store:
            everything = store.records()
            shown = select(everything, filters)
            cards = [_card(store, r) for r in shown[:LIMIT]]
        return render_template(
            "page.html",
            cards=cards,
            total=len(shown),
            recorded=len(everything),
            limit=LIMIT,
            by_severity=_by_severity(cards),
            filters=filters,
            choices=_choices(everything),
            reviewer=_reviewer(settings),
            csrf=session["csrf"],
        )

    @app.post("/reviewer")
    def set_reviewer() -> Response:
        name = " ".join(request.form.get("name", "").split())[:80]
        if name:
            session["reviewer"] = name
        return _back()

    @app.post("/finding/<fingerprint>/verdict")
    def verdict(fingerprint: str) -> Response:
        status = _status(request.form.get("status", ""))
        reason_text = request.form.get("reason", "")
        reviewer = _reviewer(settings)
        with _decision(settings) as store:
            found = store.resolve(fingerprint)
            reason = reason_from_prefix(reason_text) if status is Status.dismissed and reason_text else None
            store.mark(found, status, reviewer, reason, request.form.get("note") or None)
            why = f" ({reason.value})" if reason else ""
            flash(f"recorded: {found[:SHORT_ID]} {status.value}{why} by {reviewer}")
        return _back(fingerprint)

    @app.post("/finding/<fingerprint>/note")
    def note(fingerprint: str) -> Response:
        reviewer = _reviewer(settings)
        with _decision(settings) as store:
            found = store.resolve(fingerprint)
            store.add_note(found, reviewer, request.form.get("text", ""))
            flash(f"recorded: note on {found[:SHORT_ID]} by {reviewer}")
        return _back(fingerprint)

    @app.post("/finding/<fingerprint>/assign")
    def assign(fingerprint: str) -> Response:
        assignee = " ".join(request.form.get("assignee", "").split())[:80] or None
        with _decision(settings) as store:
            found = store.resolve(fingerprint)
            store.assign(found, assignee, _reviewer(settings))
            flash(f"recorded: {found[:SHORT_ID]} assigned to {assignee or 'nobody'}")
        return _back(fingerprint)

    @app.post("/finding/<fingerprint>/undo")
    def undo(fingerprint: str) -> Response:
        reviewer = _reviewer(settings)
        with _decision(settings) as store:
            undone = store.undo(reviewer, store.resolve(fingerprint))
            back_to = undone.restored.value if undone.restored else "no verdict"
            flash(f"undone: {undone.fingerprint[:SHORT_ID]} {undone.undone.value} by {reviewer}; back to {back_to}")
        return _back(fingerprint)

    @app.get("/healthz")
    def health() -> str:
        return "ok"

    return app


def _finalize(value: Any) -> Any:
    """Every value a template prints: None prints nothing, text loses control and bidi characters
    (autoescaping then escapes markup)."""
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return for_terminal(value)
    return value


def _link(url: str | None) -> Markup | None:
    """An href for http(s) URLs only (javascript:, data: never become links); safe_link escapes it."""
    safe = safe_link(url)
    return Markup(safe) if safe is not None else None  # already escaped by safe_link


def _host_allowed(host: str, settings: Settings) -> bool:
    name, _, port = host.rpartition(":") if not host.endswith("]") and ":" in host else (host, "", "80")
    if port != str(settings.port):
        return False
    if settings.host in LOOPBACK or settings.host in ("", "127.0.0.1"):
        return name in LOOPBACK
    return True  # bound to another address on purpose: the Origin check still guards the forms


def _check_post(host: str) -> None:
    """Refuse a cross-site POST: it must come from a page of this server (Origin, else Referer) and carry
    the session's token."""
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin or urlsplit(origin).netloc != host:
        abort(403, "a form of this page only (the request came from another site)")
    token = request.form.get("csrf", "")
    expected = session.get("csrf", "")
    if not token or not expected or not hmac.compare_digest(token, expected):
        abort(403, "the form has expired or did not come from this page; reload the page and try again")


@contextmanager
def _store(settings: Settings) -> Iterator[ReviewStore]:
    with ReviewStore(settings.db, create=False) as store:
        yield store


@contextmanager
def _decision(settings: Settings) -> Iterator[ReviewStore]:
    """A store for one decision; what the person did wrong (an unknown id, a missing reason) is flashed
    on the page, not an error page."""
    try:
        with _store(settings) as store:
            yield store
    except UsageError as exc:
        flash(f"not recorded: {exc}", "error")


def _status(text: str) -> Status:
    try:
        return Status(text)
    except ValueError:
        abort(400, "unknown status")


def _reviewer(settings: Settings) -> str:
    name = session.get("reviewer")
    return name if isinstance(name, str) and name else settings.reviewer


def _filters(args: Any) -> Filters:
    def text(key: str) -> str | None:
        value = " ".join(str(args.get(key, "")).split())
        return value or None

    status = text("status") or StatusFilter.all.value
    severity = text("min_severity")
    return Filters(
        StatusFilter(status) if status in StatusFilter.__members__.values() else StatusFilter.all,
        text("rule"),
        text("speaker"),
        text("topic"),
        text("assignee"),
        Severity(severity) if severity in [s.value for s in Severity] else None,
    )


def _card(store: ReviewStore, record: Record) -> Card:
    changed = None
    if record.standing is Standing.changed and (then := store.verdict_snapshot(record)) is not None:
        changed = changes(then, record.snapshot)
    return Card(
        record,
        record.fingerprint[:SHORT_ID],
        store.notes(record.fingerprint),
        store.history(record.fingerprint),
        changed,
    )


def _by_severity(cards: list[Card]) -> list[tuple[str, list[Card]]]:
    order = sorted(Severity, key=lambda s: -s.rank)
    return [(s.value, group) for s in order if (group := [c for c in cards if c.record.severity is s])]


def _choices(records: list[Record]) -> dict[str, list[str]]:
    """The values the filter menus offer: what the recorded findings have."""
    speakers: dict[str, str] = {}
    topics: set[str] = set()
    for r in records:
        for c in r.snapshot["claims"]:
            speakers.setdefault(c["speaker"]["id"], c["speaker"]["name"])
            topics.update(c.get("topics", []))
    return {
        "rules": sorted({r.rule for r in records}),
        "speakers": [f"{i}" for i in sorted(speakers)],
        "speaker_names": [speakers[i] for i in sorted(speakers)],
        "topics": sorted(topics),
        "assignees": sorted({r.assignee for r in records if r.assignee}),
    }


def _back(fingerprint: str | None = None) -> Response:
    """After a POST, back to the page with the filters it had (post/redirect/get), at the finding."""
    kept = {k: v for k in FILTER_KEYS if (v := request.form.get(f"filter_{k}"))}
    target = url_for("index") + (f"?{urlencode(kept)}" if kept else "")
    if fingerprint and re.fullmatch(r"[0-9a-f]+", fingerprint):
        target += f"#f-{fingerprint[:SHORT_ID]}"
    return redirect(target, code=303)
