from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from factcheck.cli import main
from factcheck.model.corpus import Corpus

ROOT = Path(__file__).resolve().parent.parent
V1_PACK = ROOT / "benchmarks" / "pack"  # the v1 default pack, frozen: tests of the machinery do not follow rewrites


@pytest.fixture(autouse=True)
def review_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own review database; nothing is written into the repository."""
    path = tmp_path / "review-store" / "review.db"
    monkeypatch.setenv("FACTCHECK_DB", str(path))
    return path


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output laid out as when piped (160 columns, no colour), whatever the tester's shell exports; tests of
    the width and colour set COLUMNS and NO_COLOR themselves."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def user_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def user_cache(user_cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder (the run cache's sealing key) is a temporary one, not the tester's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(user_cache_home))
    return user_cache_home


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3,000-claim benchmark corpus in JSON Lines (seeded): the seed article planted once, realistic
    background."""
    folder = tmp_path_factory.mktemp("generated")
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--claims", "3000", "--out", str(folder)],
        check=True,
        capture_output=True,
    )
    return folder


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the seed corpus and the rule pack to run in, change and break."""
    folder = tmp_path / "ws"
    shutil.copytree(ROOT / "claims", folder / "claims")
    shutil.copytree(ROOT / "rules", folder / "rules")
    return folder


@pytest.fixture
def frozen_workspace(tmp_path: Path) -> Path:
    """The seed corpus with the frozen v1 rule pack (benchmarks/pack/v1.yaml): for tests of the review
    workflow, whose findings and fingerprints must not follow rewrites of the default pack."""
    folder = tmp_path / "frozen-ws"
    shutil.copytree(ROOT / "claims", folder / "claims")
    (folder / "rules").mkdir()
    shutil.copy(V1_PACK / "v1.yaml", folder / "rules" / "default.yaml")
    return folder


@pytest.fixture
def repo_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


def invoke(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    """Run the CLI in-process, from `cwd` (default: the repository)."""
    old = Path.cwd()
    os.chdir(cwd or ROOT)
    try:
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    finally:
        os.chdir(old)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MINI_ENTITIES = """\
entities:
  - {id: alice, name: Alice, kind: person, role: Minister}
  - {id: acme, name: Acme, kind: organization}
  - {id: town, name: Town, kind: place, part_of: [{of: region, disputed: true, note: contested}]}
  - {id: region, name: Region, kind: place}
sources:
  - {id: paper, outlet: Paper, title: A story, published: 2021-01-02}
vocabulary:
  - {id: build, label: builds}
  - {id: fund, label: funds}
  - {id: meet, label: meets}
  - {id: enter, label: enters}
  - {id: monitor, label: monitors}
  - {id: p, label: p}
"""


def mini_claim(claim_id: str, **fields: object) -> str:
    base = {
        "id": claim_id,
        "speaker": "alice",
        "source": "paper",
        "said_on": "2021-01-01",
        "quote": "q",
        "quote_kind": "direct",
        "subject": "acme",
        "predicate": "build",
        "topics": "[t]",
    }
    base.update({k: str(v) for k, v in fields.items()})
    return "  - {" + ", ".join(f"{k}: {v}" for k, v in base.items()) + "}\n"


def load_columns_or_lines(folder: Path, columns: bool, monkeypatch: pytest.MonkeyPatch) -> Corpus | list[str]:
    """The corpus in `folder` read as columns (whatever its size) or line by line, or its errors' lines: what
    the two loaders must agree on."""
    from factcheck.errors import InputErrors
    from factcheck.load import corpus as corpus_loader

    monkeypatch.setattr(corpus_loader, "COLUMNAR", columns)
    monkeypatch.setattr(corpus_loader, "COLUMNAR_BYTES", 0)
    try:
        return corpus_loader.load_corpus([folder])
    except InputErrors as failed:
        return [str(error) for error in failed.errors]


def damaged_line(rng: random.Random, item: dict[str, object], word: str, damage: float) -> bytes:
    """A JSON line of `item` as a hostile file may hold it, for the loader-equivalence tests: with `damage` under
    0.13 cut short, with a repeated key, two objects on one line, blank, a lone surrogate or a byte that is not
    UTF-8 in `word`, not an object, a carriage return, a byte order mark; otherwise whole."""
    text = json.dumps(item, ensure_ascii=rng.random() < 0.3, separators=rng.choice([(", ", ": "), (",", ":")]))
    if damage < 0.03:
        text = text[: rng.randrange(1, len(text))]  # cut short
    elif damage < 0.05:
        text = text[:-1] + ', "id": "again"}'  # a repeated key
    elif damage < 0.06:
        text = text + text  # two objects on one line
    elif damage < 0.07:
        text = ""  # a blank line
    elif damage < 0.08:
        text = "   "
    elif damage < 0.09:
        text = text.replace(word, word[:2] + "\\ud800" + word[2:])
    elif damage < 0.10:
        return text.encode().replace(word.encode(), word[:2].encode() + b"\xff" + word[2:].encode())
    elif damage < 0.11:
        text = "[1, 2]"
    elif damage < 0.12:
        text = text + "\r"
    elif damage < 0.13:
        text = "\ufeff" + text  # a byte order mark
    return text.encode()
