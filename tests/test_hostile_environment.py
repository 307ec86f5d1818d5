"""A hostile or broken environment (FIFOs where files are expected, names too long, a closed or full
output, folders that cannot be listed) ends in one located line and exit 2, at once: never a hang,
never a traceback or an internal error, never silent loss. The real CLI runs in a process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke, write


def factcheck(folder: Path, *args: str, shell_suffix: str = "") -> subprocess.CompletedProcess[str]:
    command = " ".join([f"'{sys.executable}'", "-m", "factcheck", *(f"'{a}'" for a in args)]) + shell_suffix
    env = {**os.environ, "FACTCHECK_DB": str(folder / "store" / "review.db")}
    return subprocess.run(
        ["sh", "-c", command], cwd=folder, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def one_line_exit_2(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize("where", ["--config", "--db", "workspace", "--claims"])
def test_a_fifo_where_a_file_is_expected_is_refused_at_once(workspace: Path, where: str) -> None:
    fifo = workspace / ("factcheck.yaml" if where == "workspace" else "fifo.yaml")
    os.mkfifo(fifo)
    args = [] if where == "workspace" else [where, str(fifo)]
    if where == "--claims":
        args = ["--claims", "claims", *args]
    result = factcheck(workspace, "run", *args)  # a hang would end in the 60 s timeout
    one_line_exit_2(result, "not a regular file")


def test_a_name_too_long_is_one_line(workspace: Path) -> None:
    long_name = "a" * 300
    one_line_exit_2(factcheck(workspace, "run", "--claims", long_name), "File name too long")
    one_line_exit_2(factcheck(workspace, "run", "--db", f"{long_name}/review.db"), "File name too long")


def test_a_closed_output_is_an_error_not_silence(workspace: Path) -> None:
    one_line_exit_2(factcheck(workspace, "run", shell_suffix=" >&-"), "standard output is closed")


@pytest.mark.parametrize(
    "fmt", ["table", "json"]
)  # /dev/full: Linux, where factcheck runs (durable_rules builds there)
def test_a_full_disk_is_one_line(workspace: Path, fmt: str) -> None:
    result = factcheck(workspace, "run", "--format", fmt, "--fail-on", "high", shell_suffix=" > /dev/full")
    one_line_exit_2(result, "No space left on device")


def test_a_reader_that_leaves_early_is_not_an_error(workspace: Path) -> None:
    result = factcheck(workspace, "run", "--format", "jsonl", shell_suffix=" | head -c 10")
    assert result.returncode == 0 and result.stderr == ""


def test_a_sub_folder_that_cannot_be_listed_is_an_error(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads any folder, so the refusal is simulated where os.walk meets it; a skipped folder
    would make its reviewed tensions read as 'resolved by data'."""
    hidden = workspace / "claims" / "more"
    write(hidden, "extra.yaml", "claims: []\n")
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(str(path)).resolve() == hidden:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    result = invoke("run", cwd=workspace)
    assert result.exit_code == 2
    assert result.output.splitlines() == ["claims/more:1:1: cannot read claims: Permission denied"]


def test_a_json_lines_file_with_a_line_of_100_mb_is_refused_by_its_line(workspace: Path) -> None:
    line = json.dumps({"id": "x", "quote": "q" * 100_000_000})
    write(workspace, "claims/huge.jsonl", line + "\n")
    result = invoke("run", cwd=workspace)
    assert result.exit_code == 2
    assert (
        result.output
        == "claims/huge.jsonl:1:1: line is longer than 1,000,000 bytes; values are at most 100,000 characters\n"
    )


def test_a_yaml_file_over_the_limit_is_refused_before_it_is_read(workspace: Path) -> None:
    big = workspace / "claims" / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(300 * 2**20)  # sparse: 300 MiB that cost no disk
    result, peak = run_measuring_memory(workspace)
    assert result.exit_code == 2
    assert (
        result.output
        == "claims/big.yaml:1:1: cannot read file: file is larger than 256 MiB; split it into several files\n"
    )
    assert peak < 64 * 2**20  # read whole, it alone would be 300 MiB


def test_a_json_lines_file_without_line_breaks_is_not_held_whole(workspace: Path) -> None:
    garbage = workspace / "claims" / "garbage.jsonl"
    with garbage.open("wb") as handle:
        for _ in range(40):  # 40 MiB and never a line break
            handle.write(b"x" * 2**20)
    result, peak = run_measuring_memory(workspace)
    assert result.exit_code == 2
    assert result.output == (
        "claims/garbage.jsonl:1:1: line is longer than 1,000,000 bytes; values are at most 100,000 characters\n"
    )
    assert peak < 36 * 2**20  # two 16 MiB read blocks at most, not the 40 MiB file


def run_measuring_memory(workspace: Path) -> tuple[Any, int]:
    """`factcheck run` in this process, and the peak of what Python allocated meanwhile (bytes)."""
    tracemalloc.start()
    try:
        result = invoke("run", cwd=workspace)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
