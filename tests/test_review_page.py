"""The review page over HTTP, served by the real server (`factcheck serve` in a subprocess): cross-site
requests are refused (no token, another Origin, another Host), hostile claim text stays text and only
http(s) URLs become links, and the page and the CLI see each other's decisions at once."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factcheck.model.rule import Severity
from factcheck.model.tension import BoundClaim, Finding, PartyRef, SourceRef, Tension
from factcheck.review.store import ReviewStore, now
from review_server import serving
from test_review import PRESENCE, cli, records

HOSTILE = (
    '<script>alert(1)</script> "><img src=https://evil.example/x.png onerror=alert(2)> '
    "' onmouseover='alert(3) \x1b[2J \u202eevil"
)
BAD_URLS = ["javascript:alert(1)", "data:text/html,<script>alert(5)</script>", "JaVaScRiPt:alert(6)"]


class Client:
    """A browser in miniature: cookies kept, forms posted with the page's Origin unless told otherwise."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def get(self, path: str = "/", headers: dict[str, str] | None = None) -> tuple[int, str]:
        return self._send(urllib.request.Request(self.base + path.lstrip("/"), headers=headers or {}))

    def post(self, path: str, form: dict[str, str], headers: dict[str, str] | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode()
        origin = {"Origin": self.base.rstrip("/")}
        request = urllib.request.Request(self.base + path.lstrip("/"), data, {**origin, **(headers or {})})
        return self._send(request)

    def token(self) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.get()[1])
        assert found
        return found.group(1)

    def _send(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 303 is an answer to check, not to follow


class Elements(HTMLParser):
    """Every element and its attributes, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def elements(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(page)
    return parser.elements


@pytest.fixture
def ws(frozen_workspace: Path) -> Path:
    assert cli(frozen_workspace, "run").exit_code == 0
    return frozen_workspace


def test_a_post_without_the_token_or_from_another_site_is_refused(ws: Path, review_db: Path) -> None:
    with serving(review_db, ws) as base:
        client = Client(base)
        token = client.token()
        path = f"/finding/{PRESENCE}/verdict"
        assert client.post(path, {"status": "confirmed"})[0] == 403  # no token
        assert client.post(path, {"status": "confirmed", "csrf": "forged"})[0] == 403
        other_site = {"Origin": "http://evil.example"}
        assert client.post(path, {"status": "confirmed", "csrf": token}, other_site)[0] == 403
        assert Client(base).post(path, {"status": "confirmed", "csrf": token})[0] == 403  # another session
        assert records(review_db)[PRESENCE].status.value == "open"  # nothing was recorded
        status, _ = client.post(path, {"status": "confirmed", "csrf": token})
        assert status == 303
        assert records(review_db)[PRESENCE].status.value == "confirmed"


def test_the_page_answers_only_to_its_own_address(ws: Path, review_db: Path) -> None:
    """DNS rebinding: a page of another site that resolves its name to 127.0.0.1 cannot read this one."""
    with serving(review_db, ws) as base:
        client = Client(base)
        status, page = client.get()
        assert status == 200 and PRESENCE in page
        port = urllib.parse.urlsplit(base).port
        assert client.get(headers={"Host": f"evil.example:{port}"})[0] == 400
        assert client.get(headers={"Host": f"localhost:{port}"})[0] == 200
        with urllib.request.urlopen(base, timeout=30) as response:
            policy = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy  # no script runs at all


def test_hostile_claim_text_stays_text_and_only_http_urls_are_links(tmp_path: Path, review_db: Path) -> None:
    """A store another tool wrote (or tampered with): whatever its tensions say is escaped."""
    tensions = [_hostile_tension(i, url) for i, url in enumerate([*BAD_URLS, "https://example.org/a?b=1&c=2"])]
    with ReviewStore(review_db) as store:
        store.record_run(tensions, {t.id: "d" for t in tensions}, "durable", "r", "c", now())
        store.add_note(tensions[0].id, HOSTILE, HOSTILE)
        store.assign(tensions[0].id, HOSTILE, HOSTILE)
    with serving(review_db, tmp_path, reviewer=HOSTILE) as base:
        status, page = Client(base).get()
    assert status == 200
    found = elements(page)
    assert not [t for t, _ in found if t in ("script", "img", "iframe", "object", "embed")]
    assert not [a for _, attrs in found for a in attrs if a.startswith("on")]  # no event handler attributes
    links = [attrs["href"] for tag, attrs in found if tag == "a"]
    assert "https://example.org/a?b=1&c=2" in links  # the one good URL, its & unescaped again by the parser
    assert all(href is not None and (href.startswith(("/", "https://", "http://"))) for href in links), links
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text
    assert "\u202e" not in page and "\x1b" not in page  # control and bidi characters replaced
    assert page.count("onerror=alert(2)") >= 5  # the text is there, as text: quote, speaker, note, ...


def test_the_page_and_the_cli_see_each_others_decisions_at_once(ws: Path, review_db: Path) -> None:
    with serving(review_db, ws, reviewer="web-ana") as base:
        client = Client(base)
        token = client.token()
        assert client.post(f"/finding/{PRESENCE}/verdict", {"status": "in-progress", "csrf": token})[0] == 303
        page = client.get()[1]
        assert "recorded: 943823275b in-progress by web-ana" in page  # the one-line confirmation
        history = cli(ws, "review", "history", PRESENCE).output
        assert "web-ana" in history and "in-progress" in history
        cli(ws, "review", "mark", PRESENCE, "dismissed", "--reason", "misquote", "--by", "cli-bo")
        page = client.get()[1]
        card = page[page.index(f'id="f-{PRESENCE}"') :]
        assert 'data-status="dismissed">dismissed (misquote)' in card[:2000] and "cli-bo" in card[:2000]
        # notes, assignment, dismissal and undo from the page, each in the store at once
        client.post(f"/finding/{PRESENCE}/note", {"text": "two sources disagree", "csrf": token})
        client.post(f"/finding/{PRESENCE}/assign", {"assignee": "cy", "csrf": token})
        assert records(review_db)[PRESENCE].assignee == "cy"
        assert "two sources disagree" in cli(ws, "review", "show", PRESENCE).output
        client.post("/reviewer", {"name": "cli-bo", "csrf": token})
        client.post(f"/finding/{PRESENCE}/undo", {"csrf": token})
        assert records(review_db)[PRESENCE].status.value == "in-progress"
        missing = client.post(f"/finding/{PRESENCE}/verdict", {"status": "dismissed", "csrf": token})
        assert missing[0] == 303 and "not recorded: dismissing needs a reason" in client.get()[1]


def test_the_filters_narrow_the_page(ws: Path, review_db: Path) -> None:
    cli(ws, "review", "assign", PRESENCE, "--to", "ana")
    with serving(review_db, ws) as base:
        client = Client(base)
        assert _shown(client.get("/?rule=weak-attribution")[1]) == 3
        assert _shown(client.get("/?assignee=ana")[1]) == 1
        assert _shown(client.get("/?assignee=-")[1]) == 6
        assert _shown(client.get("/?speaker=sergey-lavrov")[1]) == 1
        assert _shown(client.get("/?topic=turkey-russia-monitoring-center")[1]) == 7
        assert _shown(client.get("/?topic=elsewhere")[1]) == 0
        assert _shown(client.get("/?min_severity=medium")[1]) == 4
        assert _shown(client.get("/?status=nonsense")[1]) == 7  # an unknown value narrows nothing


def test_the_page_shows_what_changed_since_a_verdict(ws: Path, review_db: Path) -> None:
    cli(ws, "review", "mark", PRESENCE, "confirmed", "--by", "ana")
    seed = ws / "claims" / "duvar-2020-12-30-monitoring-center.yaml"
    seed.write_text(seed.read_text().replace("will be established in the Aghdam", "will be set up in the Aghdam"))
    assert cli(ws, "run").exit_code == 0
    with serving(review_db, ws) as base:
        page = Client(base).get("/?status=changed")[1]
    assert _shown(page) == 1 and "Changed since the verdict of" in page
    then = re.search(r'<td class="then">([^<]*)</td><td class="now">([^<]*)</td>', page)
    assert then and "established in the Aghdam" in then.group(1) and "set up in the Aghdam" in then.group(2)


def test_serve_evaluates_the_claims_first(frozen_workspace: Path, review_db: Path) -> None:
    with serving(review_db, frozen_workspace, run=True) as base:
        page = Client(base).get()[1]
    assert _shown(page) == 7 and f'id="f-{PRESENCE}"' in page


def test_serve_without_a_store_says_what_to_do(tmp_path: Path) -> None:
    result = cli(tmp_path, "serve", "--no-run", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 2 and "no review database yet; run 'factcheck run' first" in result.output


def _shown(page: str) -> int:
    return len(re.findall(r'<article class="finding', page))


def _hostile_tension(i: int, url: str) -> Tension:
    source = SourceRef(id="s", outlet=f"Outlet {HOSTILE}", title=HOSTILE, url=url, published="2021-01-01")
    claims = [
        BoundClaim(
            binding=f"b{k}",
            claim=f"c{i}-{k}",
            speaker=PartyRef(id="p", name=f"Speaker {HOSTILE}", role=HOSTILE),
            said_on="2021-01-01",
            quote=f"quote {HOSTILE}",
            quote_kind="direct",
            reading=HOSTILE,
            source=source,
            topics=[HOSTILE],
        )
        for k in range(2)
    ]
    return Tension(
        id=f"{i:040x}",
        rule=f"rule-{HOSTILE}",
        severity=Severity.high,
        title=HOSTILE,
        message=json.dumps(HOSTILE),
        claims=claims,
        explanation=[Finding(predicate=HOSTILE, holds=True, value=HOSTILE, detail=HOSTILE)],
        support=[[c.claim for c in claims]],
    )
