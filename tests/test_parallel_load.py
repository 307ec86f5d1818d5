"""Large claim files are validated on two cores (load/parallel.py); the result, the errors and their
locations must be exactly those of a load on one."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

import factcheck.load.corpus as corpus_loader
import factcheck.load.parallel as parallel
from factcheck.errors import InputErrors
from factcheck.load.corpus import load_corpus
from factcheck.model.corpus import Corpus


def load(folder: Path, monkeypatch: pytest.MonkeyPatch, split: bool) -> Corpus:
    monkeypatch.setattr(corpus_loader, "PARALLEL_BYTES", 1 if split else 10**15)
    return load_corpus([folder])


def errors_of(folder: Path, monkeypatch: pytest.MonkeyPatch, split: bool) -> list[str]:
    with pytest.raises(InputErrors) as failed:
        load(folder, monkeypatch, split)
    return [str(e) for e in failed.value.errors]


def same_table(a: Corpus, b: Corpus) -> None:
    assert list(a.claims) == list(b.claims)
    assert a.claims.columns == b.claims.columns
    assert [a.claims.origin(i)[1] for i in a.claims] == [b.claims.origin(i)[1] for i in b.claims]  # type: ignore[index]
    assert [a.claims.at(p) for p in (0, 1500, 2999)] == [b.claims.at(p) for p in (0, 1500, 2999)]


def test_two_halves_load_exactly_what_one_pass_loads(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forks: list[int] = []
    begin = parallel.ChildHalf.begin.__func__  # type: ignore[attr-defined]

    def counted(cls: type, *args: object) -> object:
        child = begin(cls, *args)
        forks.append(1 if child is not None else 0)
        return child

    monkeypatch.setattr(parallel.ChildHalf, "begin", classmethod(counted))
    split = load(generated, monkeypatch, split=True)
    assert forks == [1]  # the claims file only: entities and sources are read in one pass
    same_table(split, load(generated, monkeypatch, split=False))


def test_errors_in_the_second_half_read_as_in_one_pass(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "claims"
    folder.mkdir()
    for name in ("entities.jsonl", "sources.jsonl", "vocabulary.jsonl"):
        (folder / name).write_text((generated / name).read_text())
    lines = (generated / "claims.jsonl").read_text().splitlines()
    lines[2500] = lines[2500].replace('"said_on": "2021-', '"said_on": "2021-13-')  # not a date
    lines[2600] = json.dumps({**json.loads(lines[2600]), "id": json.loads(lines[10])["id"]})  # a duplicate id
    lines[2700] = lines[2700][:-3]  # cut short
    (folder / "claims.jsonl").write_text("\n".join(lines) + "\n")
    split = errors_of(folder, monkeypatch, split=True)
    assert split == errors_of(folder, monkeypatch, split=False)
    assert [e.split(":")[1] for e in split] == ["2501", "2601", "2701"]


def test_a_failing_child_only_costs_time(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise MemoryError("simulated")

    monkeypatch.setattr(parallel, "_validate", broken)
    same_table(load(generated, monkeypatch, split=True), load(generated, monkeypatch, split=False))


def test_the_halves_meet_through_a_pipe_not_a_temporary_file(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is left behind for a SIGKILL to leak, or for another process to plant rows in."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    opened: list[str] = []
    monkeypatch.setattr(tempfile, "mkstemp", lambda *a, **k: opened.append("mkstemp"))
    same_table(load(generated, monkeypatch, split=True), load(generated, monkeypatch, split=False))
    assert opened == [] and list(temporary.iterdir()) == []
