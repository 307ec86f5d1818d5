"""Take the screenshot of the review page that docs/review.md shows (docs/review-page.png).

    python scripts/review_page_screenshot.py             # rewrite docs/review-page.png
    python scripts/review_page_screenshot.py --out x.png

In a temporary copy of the seed corpus and the default rule pack (the source given an address, so that the
page links it): `factcheck run`, a few decisions with the CLI (a confirmation, an assignment with a note,
a dismissal), then a claim is reworded and run again, so that a verdict shows what changed since. The real
`factcheck serve` serves it and Debian's Chromium, driven by Playwright, takes the picture.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "review-page.png"
SEED = "duvar-2020-12-30-monitoring-center.yaml"
URL = "https://www.duvarenglish.com/turkey-dispatches-general-35-military-officers-to-azerbaijan-news-55606"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("no Chromium: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as folder:
        ws = Path(folder)
        shutil.copytree(ROOT / "claims", ws / "claims")
        shutil.copytree(ROOT / "rules", ws / "rules")
        seed = ws / "claims" / SEED
        seed.write_text(
            seed.read_text().replace("    published: 2020-12-30\n", f"    url: {URL}\n    published: 2020-12-30\n", 1)
        )
        env = {**os.environ, "FACTCHECK_DB": str(ws / "review.db"), "FACTCHECK_REVIEWER": "ana", "COLUMNS": "120"}

        def factcheck(*argv: str) -> str:
            done = subprocess.run(
                [sys.executable, "-m", "factcheck", *argv], cwd=ws, env=env, capture_output=True, text=True
            )
            if done.returncode not in (0, 1):
                sys.exit(done.stderr)
            return done.stdout

        factcheck("run")
        found = json.loads(factcheck("review", "list", "--format", "json"))
        ids = [f["id"] for f in found]
        factcheck("review", "mark", ids[0], "confirmed", "--note", "the map puts Aghdam inside the region")
        if len(ids) > 1:
            factcheck("review", "assign", ids[1], "--to", "bo")
            factcheck("review", "mark", ids[1], "in-progress", "--by", "bo", "--note", "asking the ministry")
        if len(ids) > 2:
            factcheck("review", "mark", ids[-1], "dismissed", "--reason", "different-scope", "--by", "cy")
        seed.write_text(seed.read_text().replace("will be established in the Aghdam", "will be set up in the Aghdam"))
        factcheck("run")
        shoot(ws, env, browser, args.out)
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


def shoot(ws: Path, env: dict[str, str], browser: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen(
        [sys.executable, "-m", "factcheck", "serve", "--no-run", "--port", "0"],
        cwd=ws,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        address = re.search(r"http://\S+/", server.stdout.readline())
        if address is None:
            sys.exit("the server did not start")
        sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=browser, args=sandbox)
            page = chromium.new_page(viewport={"width": 1280, "height": 1700})
            page.goto(address.group(0))
            page.screenshot(path=str(out))
            chromium.close()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(10)


if __name__ == "__main__":
    main()
