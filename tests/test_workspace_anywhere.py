"""A workspace anywhere: the default rules and vocabulary install with the package (a wheel built from the
tree holds them, byte for byte the repository's files), `factcheck init` starts a workspace, and `run` in a
folder without claims says what to do."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from setuptools import find_packages

from conftest import ROOT, invoke, write

PACKAGED = {
    "factcheck/defaults/rules/default.yaml": ROOT / "rules" / "default.yaml",
    "factcheck/defaults/claims/vocabulary.yaml": ROOT / "claims" / "vocabulary.yaml",
    "factcheck/defaults/claims/gazetteer.yaml": ROOT / "claims" / "gazetteer.yaml",
}


def test_pyproject_lists_every_package() -> None:
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    found = find_packages(str(ROOT / "engine"))
    assert sorted(p for p in listed if not p.startswith("factcheck.defaults")) == sorted(found), (
        "add the new package to [tool.setuptools] packages in pyproject.toml"
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """factcheck built into a wheel from this tree and installed (without dependencies: those of the test
    environment serve) into a folder of its own."""
    folder = tmp_path_factory.mktemp("wheel")
    tree = folder / "tree"  # a copy of what the build reads: building writes build/ and *.egg-info beside it
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for part in ("engine", "rules", "claims"):
        shutil.copytree(ROOT / part, tree / part, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(folder / "dist"), str(tree)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (folder / "dist").glob("factcheck-*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(folder / "site"), str(wheel)],
        check=True,
        capture_output=True,
    )
    return folder


def test_the_wheel_holds_the_default_rules_and_vocabulary(installed: Path) -> None:
    (wheel,) = (installed / "dist").glob("factcheck-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        for name, source in PACKAGED.items():
            assert archive.read(name) == source.read_bytes(), name  # one source: the repository's file


def _installed_factcheck(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(installed / "site"), "FACTCHECK_DB": str(cwd / ".factcheck" / "review.db")}
    return subprocess.run(
        [sys.executable, "-m", "factcheck", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_an_installed_factcheck_works_in_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    where = _installed_factcheck(installed, tmp_path, "--version")
    check = subprocess.run(
        [sys.executable, "-c", "import factcheck; print(factcheck.__file__)"],
        env={**os.environ, "PYTHONPATH": str(installed / "site")},
        capture_output=True,
        text=True,
    )
    assert check.stdout.startswith(str(installed / "site")), check.stdout  # the wheel's copy, not the checkout
    assert where.returncode == 0
    empty = _installed_factcheck(installed, tmp_path, "run")
    assert empty.returncode == 2 and empty.stdout == ""
    assert empty.stderr.strip().splitlines() == [
        "factcheck: error: no claims here (no ./claims folder); run `factcheck init` to start a workspace in "
        "this folder, or give --claims FILE_OR_FOLDER"
    ]
    # claims of one's own and no rules/ folder: the installed default pack checks them
    write(tmp_path, "mine/c.yaml", (ROOT / "claims" / "duvar-2020-12-30-monitoring-center.yaml").read_text())
    (tmp_path / "mine" / "g.yaml").write_text((ROOT / "claims" / "gazetteer.yaml").read_text())
    (tmp_path / "mine" / "v.yaml").write_text((ROOT / "claims" / "vocabulary.yaml").read_text())
    packaged_rules = _installed_factcheck(installed, tmp_path, "run", "--claims", "mine", "--format", "jsonl")
    assert packaged_rules.returncode == 0, packaged_rules.stderr
    assert len(packaged_rules.stdout.splitlines()) >= 5
    (tmp_path / "ws").mkdir()
    init = _installed_factcheck(installed, tmp_path / "ws", "init")
    assert init.returncode == 0, init.stderr
    run = _installed_factcheck(installed, tmp_path / "ws", "run", "--format", "jsonl")
    assert run.returncode == 0, run.stderr
    assert run.stdout == packaged_rules.stdout  # the same claims, the same rules: the same findings


def test_init_creates_a_workspace_and_never_overwrites_one(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "desk"), "--organisation", "Desk")
    assert result.exit_code == 0, result.output
    files = sorted(str(p.relative_to(tmp_path / "desk")) for p in (tmp_path / "desk").rglob("*") if p.is_file())
    assert files == [
        "claims/duvar-2020-12-30-monitoring-center.yaml",
        "claims/gazetteer.yaml",
        "claims/vocabulary.yaml",
        "factcheck.yaml",
        "rules/default.yaml",
    ]
    assert "name: Desk" in (tmp_path / "desk" / "factcheck.yaml").read_text()
    assert invoke("run", cwd=tmp_path / "desk").exit_code == 0  # the workspace file loads as it is
    (tmp_path / "desk" / "rules" / "default.yaml").write_text("rules: []\n")
    again = invoke("init", str(tmp_path / "desk"))
    assert again.exit_code == 2 and "already exists" in again.output and "nothing was changed" in again.output
    assert (tmp_path / "desk" / "rules" / "default.yaml").read_text() == "rules: []\n"


def test_an_organisation_in_the_workspace_file_is_checked(tmp_path: Path) -> None:
    invoke("init", str(tmp_path))
    write(tmp_path, "rules/default.yaml", "rules: []\n")  # the workspace file alone is under test
    write(tmp_path, "factcheck.yaml", "organisation: {name: Desk, url: 'javascript:x'}\n")
    result = invoke("run", cwd=tmp_path)
    assert result.exit_code == 2 and result.output.startswith("factcheck.yaml:1:")
    write(tmp_path, "factcheck.yaml", "organization: {name: Desk}\n")
    result = invoke("run", cwd=tmp_path)
    assert "did you mean 'organisation'?" in result.output


def test_the_readme_test_command_works_in_a_new_shell_and_ci_runs_it() -> None:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert block is not None
    install, test = [line.split("#")[0].strip() for line in block.group(1).strip().splitlines()[:2]]
    assert install.startswith("python3 -m venv .venv") and "pip install -e '.[dev]'" in install
    assert test == ".venv/bin/python -m pytest -q"  # no activated venv needed
    ci = [line.split("#")[0].strip() for line in (ROOT / ".ci" / "run").read_text().splitlines() if "pytest" in line]
    assert ci == [test]
