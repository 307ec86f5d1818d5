"""Claims files read as columns block by block (load/corpus.py: each block's lines found by numpy, its texts
kept as codes numbered once the file is read, model/claim_table.py), against the per-line loader: the same
claims or the same errors, in the same order, when a file spans many blocks, when the errors reach their
limit part way, and when a line is too long to be read at all."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import factcheck.load.columnar as columnar
import factcheck.load.corpus as corpus_loader
from factcheck.load.json_line import MAX_LINE_BYTES
from factcheck.model.corpus import Corpus
from test_columnar_load import REFERENCE_FILES, assert_same, line_of, load


def _folder(tmp_path: Path, generated: Path, lines: list[bytes]) -> Path:
    for name in REFERENCE_FILES:
        (tmp_path / name).write_bytes((generated / name).read_bytes())
    (tmp_path / "claims.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    return tmp_path


@pytest.mark.parametrize("seed", range(6))
def test_many_blocks_read_ahead_give_what_the_per_line_loader_gives(
    seed: int, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    bad = seed % 2 == 0  # with bad lines the errors may reach their limit part way through the file
    lines = [line_of(rng, number) for number in range(600)] if bad else [_good(rng, n) for n in range(600)]
    folder = _folder(tmp_path, generated, lines)
    monkeypatch.setattr(corpus_loader, "BLOCK_BYTES", rng.choice([700, 3000, 20_000]))
    columnar = load(folder, True, monkeypatch)
    assert_same(columnar, load(folder, False, monkeypatch))
    if not bad:
        assert isinstance(columnar, Corpus) and len(columnar.claims) == 600


def test_a_line_too_long_is_reported_after_the_lines_before_it(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(7)
    lines = [_good(rng, number) for number in range(300)]
    lines[120] = lines[120].replace(b'"c-120"', b'"c-0"')  # a duplicate id: an error in a block before
    lines.insert(250, b'{"id": "' + b"x" * (MAX_LINE_BYTES + 10) + b'"}')
    folder = _folder(tmp_path, generated, lines)
    monkeypatch.setattr(corpus_loader, "BLOCK_BYTES", 2000)
    columnar = load(folder, True, monkeypatch)
    assert isinstance(columnar, list) and "duplicate claim id" in columnar[0]
    assert "line is longer than" in columnar[-1]
    assert columnar == load(folder, False, monkeypatch)


def test_fields_first_given_in_a_later_block_are_read_as_the_whole_schema_reads_them(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks are parsed first against the fields the file gave so far (SeenFields): a block giving another
    one is read again against the whole schema, and a narrowed read is the whole schema's, nulls and all."""
    rng = random.Random(3)
    lines = [_good(rng, number) for number in range(300)]
    for number in (200, 250, 299):  # fields the blocks before never gave
        item = json.loads(lines[number])
        item.update(note="a note", polarity="negated", qualifiers={"place": "place-1", "means": ["remote"]})
        lines[number] = json.dumps(item).encode()
    folder = _folder(tmp_path, generated, lines)
    monkeypatch.setattr(corpus_loader, "BLOCK_BYTES", 3000)
    read = load(folder, True, monkeypatch)
    assert isinstance(read, Corpus) and len(read.claims) == 300
    assert read.claims.columns["qualifiers.place"][250] == "place-1"
    assert_same(read, load(folder, False, monkeypatch))
    seen = columnar.SeenFields()
    columnar.certify(lines[:100], {}, seen)
    assert "note" not in seen.paths and "qualifiers" not in seen.paths
    for later in (lines[100:200], lines[200:]):
        narrowed, whole = columnar.certify(later, {}, seen), columnar.certify(later, {})
        assert narrowed.valid == whole.valid
        assert {p: list(c) for p, c in narrowed.columns.items()} == {p: list(c) for p, c in whole.columns.items()}
    assert {"note", "polarity", "qualifiers.place", "qualifiers.means"} <= seen.paths


def _good(rng: random.Random, number: int) -> bytes:
    speaker = rng.choice(["person-1", "person-2", "russia"])
    return (
        f'{{"id": "c-{number}", "speaker": "{speaker}", "source": "bench-source", "said_on": "2021-01-05", '
        f'"quote": "q", "quote_kind": "direct", "subject": "group-1", "predicate": "visit", '
        f'"topics": ["topic-{number % 7}"]}}'
    ).encode()


@pytest.mark.parametrize("seed", range(4))
def test_a_block_is_valid_utf8_for_arrow_exactly_when_python_decodes_it(seed: int) -> None:
    rng = random.Random(seed)
    tricky = [b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xc0\x80", b"\xc1\xbf", b"\xe0\x80\xaf", b"\xf0\x8f\xbf\xbf"]
    tricky += [b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xf8\x88\x80\x80\x80", b"\xff", b"\xe2\x82", b"\x80"]
    tricky += ["é".encode(), "中".encode(), "\U0001f600".encode(), "\ud7ff".encode(), "\ue000".encode(), b"a"]
    for _ in range(2000):
        block = b"".join(rng.choice(tricky) for _ in range(rng.randrange(1, 6)))
        if rng.random() < 0.2:
            block = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        try:
            block.decode()
            decodes = True
        except UnicodeDecodeError:
            decodes = False
        assert columnar._valid_utf8(block) == decodes, block
