"""The review page end to end in a real headless Chromium (Debian's `chromium`, driven by Playwright):
the real server in a subprocess, decisions clicked on the page and read back with the real CLI, and the
other way round. Defined only where Chromium is installed or CI is set; in CI (CI set) a missing browser
is a failure. Without a browser, tests/test_review_page.py drives the same server over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factcheck.review.store import ReviewStore, now
from review_server import browser_args, chromium, serving
from test_review import PRESENCE, REMOTE, cli
from test_review_page import BAD_URLS, _hostile_tension

# Defined where Chromium is installed, and always in CI (where a missing browser then fails the run):
# install Debian's `chromium` package (apt-get install -y chromium) to run them on your machine.
if chromium() or os.environ.get("CI"):

    @pytest.fixture(scope="module")
    def browser() -> Iterator[Any]:
        from playwright.sync_api import sync_playwright

        executable = chromium()
        assert executable, "CI must install Chromium (.ci/run: apt-get install -y chromium)"
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=executable, args=browser_args(), headless=True)
            yield launched
            launched.close()

    @pytest.fixture
    def page(browser: Any) -> Iterator[Any]:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        opened = context.new_page()
        dialogs: list[str] = []
        opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        opened.dialogs = dialogs
        yield opened
        context.close()

    @pytest.fixture
    def ws(frozen_workspace: Path) -> Path:
        assert cli(frozen_workspace, "run").exit_code == 0
        return frozen_workspace

    def real_cli(ws: Path, db: Path, *args: str) -> str:
        """The installed command in its own process, as a reviewer at a terminal runs it."""
        done = subprocess.run(
            [sys.executable, "-m", "factcheck", *args],
            cwd=ws,
            env={**os.environ, "FACTCHECK_DB": str(db)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def card(page: Any, short: str) -> Any:
        return page.locator(f"article#f-{short}")

    def test_a_decision_clicked_on_the_page_is_in_the_cli_history(ws: Path, review_db: Path, page: Any) -> None:
        with serving(review_db, ws, reviewer="browser-ana") as base:
            page.goto(base)
            assert page.locator("article.finding").count() == 7
            finding = card(page, PRESENCE)
            assert finding.locator("blockquote").count() == 3  # the quotes side by side
            assert "Hulusi Akar" in finding.locator("figcaption").all_inner_texts()[1]
            finding.locator("button.act-confirmed").click()
            page.wait_for_load_state()
            assert f"recorded: {PRESENCE} confirmed by browser-ana" in page.locator(".flash").inner_text()
            assert card(page, PRESENCE).locator(".status").inner_text() == "confirmed"
            history = real_cli(ws, review_db, "review", "history", PRESENCE)
            assert any("browser-ana" in line and line.split()[3] == "confirmed" for line in history.splitlines()[2:])

            # a dismissal with its reason, chosen from the menu
            remote = card(page, REMOTE)
            remote.locator("select[name=reason]").select_option("different-scope")
            remote.locator("button.act-dismissed").click()
            page.wait_for_load_state()
            assert card(page, REMOTE).locator(".status").inner_text() == "dismissed (different-scope)"
            assert "different-scope" in real_cli(ws, review_db, "review", "history", REMOTE)
            assert page.dialogs == []

    def test_a_cli_decision_shows_on_reload(ws: Path, review_db: Path, page: Any) -> None:
        with serving(review_db, ws) as base:
            page.goto(base)
            assert card(page, REMOTE).locator(".status").inner_text() == "open"
            real_cli(ws, review_db, "review", "mark", REMOTE, "needs-source", "--by", "terminal-bo")
            real_cli(ws, review_db, "review", "assign", REMOTE, "--to", "cy")
            real_cli(ws, review_db, "review", "note", REMOTE, "ask the ministry", "--by", "terminal-bo")
            page.reload()
            remote = card(page, REMOTE)
            assert remote.locator(".status").inner_text() == "needs-source"
            assert remote.locator(".assignee").inner_text() == "assigned to cy"
            assert "ask the ministry" in remote.locator(".notes").inner_text()
            page.select_option("select[name=assignee]", "cy")
            page.locator("form.filters button").click()
            page.wait_for_load_state()
            assert page.locator("article.finding").count() == 1

    def test_hostile_claims_run_nothing_in_the_browser(tmp_path: Path, review_db: Path, page: Any) -> None:
        tensions = [_hostile_tension(i, url) for i, url in enumerate(BAD_URLS)]
        with ReviewStore(review_db) as store:
            store.record_run(tensions, {t.id: "d" for t in tensions}, "durable", "r", "c", now())
        with serving(review_db, tmp_path) as base:
            page.goto(base)
            assert page.locator("article.finding").count() == len(BAD_URLS)
            assert page.evaluate("document.scripts.length") == 0
            assert page.evaluate("document.images.length") == 0
            hrefs = page.evaluate("[...document.links].map(a => a.href)")
            assert all(h.startswith(base) for h in hrefs), hrefs  # only the page's own links: no javascript:
            assert "<script>alert(1)</script>" in page.locator("blockquote").first.inner_text()
            page.locator("article.finding button.act-confirmed").first.click()
            page.wait_for_load_state()
            assert page.dialogs == []

    def test_screenshot_of_the_page(ws: Path, review_db: Path, page: Any, tmp_path: Path) -> None:
        """The page renders, and a screenshot can be taken (scripts/review_page_screenshot.py keeps the one in
        docs/ current)."""
        with serving(review_db, ws) as base:
            page.goto(base)
            shot = tmp_path / "page.png"
            page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
