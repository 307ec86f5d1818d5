"""The run cache: a re-run after appending claims evaluates only what they touch, and gives exactly
what a run without the cache gives; any other change (an edited or removed line, entities, rules, the
workspace file, a damaged cache) is a full run."""

from __future__ import annotations

import gc
import json
import os
import pickle
import random
import re
import shutil
import signal
import threading
import time
from array import array
from pathlib import Path
from typing import Any

import pytest

from factcheck import api, run_cache
from factcheck.api import CheckResult, check
from factcheck.errors import InputError, InputErrors
from factcheck.evaluate import workers
from factcheck.evaluate.workers import Beside, LocalWorkers
from factcheck.load.corpus import load_corpus
from factcheck.model import claim_table, encoding
from factcheck.model.claim_table import INDEXED_FIELDS, ClaimTable
from factcheck.model.encoding import pack_parts, unpack_parts
from factcheck.model.fields import FIELDS, FieldType
from factcheck.run_cache import decode_state, encode_state, unseal, user_key

ROOT = Path(__file__).resolve().parent.parent
V1_PACK = ROOT / "benchmarks" / "pack"  # the generated corpora plant exactly what the v1 pack finds


@pytest.fixture
def corpus(tmp_path: Path, generated: Path) -> Path:
    folder = tmp_path / "claims"
    folder.mkdir()
    copy_corpus(generated, folder)
    return folder


def copy_corpus(generated: Path, folder: Path) -> None:
    for name in ("claims.jsonl", "entities.jsonl", "sources.jsonl", "vocabulary.jsonl"):
        shutil.copy(generated / name, folder)


def run(claims: Path, cache: Path | None, rules: Path = V1_PACK) -> CheckResult:
    return check([claims], [rules], cache_dir=cache)


def same_as_without_cache(result: CheckResult, claims: Path, rules: Path = V1_PACK) -> None:
    fresh = run(claims, None, rules)
    assert [t.model_dump(mode="json") for t in result.tensions] == [t.model_dump(mode="json") for t in fresh.tensions]
    assert result.claims_digest == fresh.claims_digest  # taken while the kept bytes are checked


def claim(claim_id: str, **fields: Any) -> str:
    base = {
        "id": claim_id,
        "speaker": "russia",
        "source": "duvar-2020-12-30",
        "said_on": "2021-01-05",
        "quote": "Turkish troops will not enter.",
        "quote_kind": "paraphrase",
        "subject": "turkish-peacekeepers-p0",
        "predicate": "enter",
        "object": "nagorno-karabakh",
        "polarity": "negated",
        "topics": ["turkey-russia-monitoring-center-p0"],
    }
    return json.dumps({**base, **fields}) + "\n"


def append(file: Path, text: str) -> None:
    with file.open("a") as handle:
        handle.write(text)


def test_appended_claims_reuse_the_kept_run_and_match_a_full_run(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(corpus, cache)
    assert first.reuse == "full"
    again = run(corpus, cache)
    assert again.reuse == "appended"
    assert [t.id for t in again.tensions] == [t.id for t in first.tensions]
    # a second denial joins the planted topic: a new presence tension and a new weak attribution
    append(corpus / "claims.jsonl", claim("late-denial"))
    # a new count for the group in a partition of its own: a count mismatch with the planted claims
    append(
        corpus / "claims.jsonl",
        claim(
            "recount",
            speaker="duvar-english",
            quote_kind="reported-by-outlet",
            subject="turkish-monitoring-staff-p0",
            predicate="monitor",
            object=None,
            polarity="affirmed",
            qualifiers={"count": 40},
        ),
    )
    grown = run(corpus, cache)
    assert grown.reuse == "appended"
    new = {t.rule for t in grown.tensions} - set()
    assert len(grown.tensions) > len(first.tensions)
    assert {"presence-where-entry-denied", "weak-attribution", "count-mismatch"} <= new
    assert any("recount" in [c.claim for c in t.claims] for t in grown.tensions if t.rule == "count-mismatch")
    same_as_without_cache(grown, corpus)


@pytest.mark.parametrize("searches", [0, 10**9])  # kept ids: one index of them all, or a search for each
def test_claims_appended_in_random_steps_always_give_the_full_result(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, searches: int
) -> None:
    monkeypatch.setattr(claim_table, "MAX_ID_SEARCHES", searches)
    lines = (generated / "claims.jsonl").read_text().splitlines(keepends=True)
    rng = random.Random(4 + searches % 7)
    for attempt in range(3):
        folder = tmp_path / f"steps-{attempt}" / "claims"
        folder.mkdir(parents=True)
        copy_corpus(generated, folder)
        order = lines[:]
        rng.shuffle(order)  # planted claims arrive in any order, across steps
        cuts = sorted(rng.sample(range(1, len(order)), 3))
        bulk = folder / "claims.jsonl"
        bulk.write_text("".join(order[: cuts[0]]))
        cache = tmp_path / f"steps-{attempt}" / "cache"
        assert run(folder, cache).reuse == "full"
        for start, end in zip(cuts, [*cuts[1:], len(order)], strict=True):
            append(bulk, "".join(order[start:end]))
            result = run(folder, cache)
            assert result.reuse == "appended"
            same_as_without_cache(result, folder)


def _edit_middle_line(corpus: Path) -> None:
    bulk = corpus / "claims.jsonl"
    lines = bulk.read_text().splitlines(keepends=True)
    target = next(
        i
        for i, line in enumerate(lines)
        if '"count": ' in line and i < len(lines) - 10 and isinstance(json.loads(line)["qualifiers"]["count"], int)
    )
    item = json.loads(lines[target])
    item["qualifiers"]["count"] += 1  # now differs from the group's other counts: a count mismatch
    lines[target] = json.dumps(item) + "\n"
    bulk.write_text("".join(lines))


def _drop_last_line(corpus: Path) -> None:
    bulk = corpus / "claims.jsonl"
    bulk.write_text("".join(bulk.read_text().splitlines(keepends=True)[:-1]))


def _drop_planted_claim(corpus: Path) -> None:
    bulk = corpus / "claims.jsonl"
    bulk.write_text("".join(x for x in bulk.read_text().splitlines(keepends=True) if "lavrov" not in x))


def _settle_the_dispute(corpus: Path) -> None:
    entities = corpus / "entities.jsonl"
    assert '"disputed": true' in entities.read_text()
    entities.write_text(entities.read_text().replace('"disputed": true', '"disputed": false'))


def _new_bulk_file(corpus: Path) -> None:
    (corpus / "more.jsonl").write_text(claim("elsewhere"))


def _workspace_file(corpus: Path) -> None:
    (corpus.parent / "factcheck.yaml").write_text(
        "rules:\n  exclude:\n    - rule: weak-attribution\n      reason: not in scope here\n"
    )


def _damaged_cache(corpus: Path) -> None:
    kept = list((corpus.parent / "cache").glob("run-*"))
    assert kept
    for path in kept:
        path.write_bytes(path.read_bytes()[:-100] + b"damaged" * 10)


@pytest.mark.parametrize(
    "change",
    [_edit_middle_line, _drop_last_line, _drop_planted_claim, _settle_the_dispute, _new_bulk_file, _damaged_cache],
)
def test_any_other_change_is_a_full_run(
    change: Any, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    before = run(corpus, cache)
    change(corpus)
    after = run(corpus, cache)
    assert after.reuse == "full"
    same_as_without_cache(after, corpus)
    if change in ALTERING:  # a stale kept run would have shown the old result
        dumps = [[t.model_dump(mode="json") for t in r.tensions] for r in (before, after)]
        assert dumps[0] != dumps[1]


ALTERING = (_edit_middle_line, _drop_planted_claim, _settle_the_dispute, _new_bulk_file)


def test_an_edit_of_kept_bytes_found_while_the_run_goes_on_is_a_full_run(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept bytes are checked beside the re-run (Appended.confirmed): an edit that keeps the file's
    size, with a claim appended, is only found once the appended claims were evaluated on the kept state.
    Nothing of that evaluation may be reported or kept."""
    cache = tmp_path / "cache"
    run(corpus, cache)
    bulk = corpus / "claims.jsonl"
    lines = bulk.read_text().splitlines(keepends=True)
    target = len(lines) // 2
    item = json.loads(lines[target])
    item["quote"] = item["quote"].swapcase()  # same size, still valid
    lines[target] = json.dumps(item) + "\n"
    bulk.write_text("".join(lines))
    append(bulk, claim("late-denial"))
    evaluations = _count_appended_runs(monkeypatch)
    result = run(corpus, cache)
    assert evaluations  # the kept state was evaluated first
    assert result.reuse == "full"
    same_as_without_cache(result, corpus)
    assert run(corpus, cache).reuse == "appended"  # and the full run was kept


def test_a_changed_rule_or_workspace_is_a_full_run(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rules = tmp_path / "rules"
    shutil.copytree(V1_PACK, rules)
    cache = tmp_path / "cache"
    run(corpus, cache, rules)
    pack = rules / "v1.yaml"
    pack.write_text(pack.read_text().replace("severity: low", "severity: info", 1))
    changed = run(corpus, cache, rules)
    assert changed.reuse == "full"
    assert {t.severity.value for t in changed.tensions if t.rule == "weak-attribution"} == {"info"}
    _workspace_file(corpus)
    excluded = run(corpus, cache, rules)
    assert excluded.reuse == "full"
    assert not [t for t in excluded.tensions if t.rule == "weak-attribution"]


def test_a_run_by_other_code_of_the_same_version_is_not_reused(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A built-in whose meaning changed in a checkout must not reuse matches its older self kept."""
    cache = tmp_path / "cache"
    run(corpus, cache)
    assert run(corpus, cache).reuse == "appended"  # the same code: the kept run serves
    monkeypatch.setattr(run_cache, "code_digest", lambda: "other code")
    assert run(corpus, cache).reuse == "full"
    assert run_cache.code_digest() == "other code"


def test_appending_to_a_last_line_without_a_line_break_is_a_full_run(corpus: Path, tmp_path: Path) -> None:
    bulk = corpus / "claims.jsonl"
    bulk.write_text(bulk.read_text().rstrip("\n"))
    cache = tmp_path / "cache"
    run(corpus, cache)
    append(bulk, "\n" + claim("late-denial"))
    result = run(corpus, cache)
    assert result.reuse == "full"
    same_as_without_cache(result, corpus)


@pytest.mark.parametrize(
    "bad",
    [
        claim("bg-5"),  # an id the corpus already has
        claim("stray", speaker="nobody-we-know"),
        claim("typo", predicate="entre"),  # an undeclared predicate is caught on the cached path too
        '{"id": "broken", ',
    ],
)
def test_an_appended_error_is_reported_as_without_the_cache(bad: str, corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(corpus, cache)
    append(corpus / "claims.jsonl", bad)
    with pytest.raises(InputErrors) as cached:
        run(corpus, cache)
    with pytest.raises(InputErrors) as fresh:
        run(corpus, None)
    assert [str(e) for e in cached.value.errors] == [str(e) for e in fresh.value.errors]
    assert "claims.jsonl:3001:" in str(cached.value)


class _Planted:
    """What an attacker would put in a shared workspace's cache: unpickling it writes a file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.write_text, (self.marker, "code ran"))


def test_a_planted_pickle_in_the_cache_is_never_run(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(corpus, cache)
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Planted(marker))
    kept = list(cache.glob("run-*"))
    for path in kept:  # in place of the kept run, and under the name earlier versions used
        path.write_bytes(payload)
        path.with_suffix(".pickle").write_bytes(payload)
    again = run(corpus, cache)
    assert not marker.exists()
    assert again.reuse == "full"
    same_as_without_cache(again, corpus)


def test_a_kept_run_sealed_by_another_user_or_changed_since_is_ignored(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    run(corpus, cache)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    assert run(corpus, cache).reuse == "full"  # their key: our kept run is not theirs
    assert run(corpus, cache).reuse == "appended"  # and the one they kept is theirs
    (path,) = cache.glob("run-*")
    data = bytearray(path.read_bytes())
    data[-5] ^= 1  # one bit of a column, the header and seal untouched
    path.write_bytes(bytes(data))
    assert run(corpus, cache).reuse == "full"


def test_without_a_usable_key_there_is_no_cache(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    cache = tmp_path / "cache"
    first = run(corpus, cache)
    append(corpus / "claims.jsonl", claim("late-denial"))
    second = run(corpus, cache)
    assert (first.reuse, second.reuse) == ("full", "full")
    assert not list(cache.glob("run-*"))
    same_as_without_cache(second, corpus)


def test_many_appends_are_kept_as_chunks_then_compacted(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(claim_table, "MAX_CHUNKS", 3)
    cache = tmp_path / "cache"
    run(corpus, cache)
    for step, expected_chunks in enumerate([2, 3, 1, 2, 3]):  # four would be over three: one again
        append(corpus / "claims.jsonl", claim(f"late-denial-{step}", said_on=f"2021-01-{10 + step}"))
        result = run(corpus, cache)
        assert result.reuse == "appended"
        (path,) = cache.glob("run-*")
        chunks = json.loads(bytes(unpack_parts(unseal(path.read_bytes(), user_key() or b""))["chunks"]))
        assert len(chunks) == expected_chunks
        assert sum(chunks) == 3001 + step
    same_as_without_cache(result, corpus)


def test_a_large_kept_run_is_not_rewritten_for_a_few_appended_claims(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past REWRITE_ALWAYS_BELOW claims, the kept run stays until the claims appended since reach 1 in
    REWRITE_SHARE: each run reads them again as appended, with the full run's result."""
    monkeypatch.setattr(run_cache, "REWRITE_ALWAYS_BELOW", 0)
    cache = tmp_path / "cache"
    run(corpus, cache)
    (path,) = cache.glob("run-*")
    kept = path.read_bytes()
    for step in range(2):
        append(corpus / "claims.jsonl", claim(f"late-denial-{step}", said_on=f"2021-01-{10 + step}"))
        result = run(corpus, cache)
        assert result.reuse == "appended"
        assert path.read_bytes() == kept
        same_as_without_cache(result, corpus)
    assert "late-denial-0" in result.corpus.claims and "late-denial-1" in result.corpus.claims
    # 3000 kept claims: 30 appended since are 1 in 100, and the kept run is replaced
    append(corpus / "claims.jsonl", "".join(claim(f"late-{i}", said_on="2021-02-01") for i in range(28)))
    assert run(corpus, cache).reuse == "appended"
    assert path.read_bytes() != kept
    assert len(decode_state(unseal(path.read_bytes(), user_key() or b"")).corpus.claims) == 3030


def test_a_yaml_corpus_round_trips_through_the_kept_run(tmp_path: Path) -> None:
    """Claims kept as objects (YAML), sources, entities and dates read back equal to what was kept."""
    cache = tmp_path / "cache"
    first = check([ROOT / "claims"], [ROOT / "rules"], cache_dir=cache)
    (path,) = cache.glob("run-*")
    state = decode_state(unseal(path.read_bytes(), user_key() or b""))
    kept = state.corpus
    assert kept.sources == first.corpus.sources and kept.entities == first.corpus.entities
    assert list(kept.claims.values()) == list(first.corpus.claims.values())
    assert kept.claims.columns == first.corpus.claims.columns
    # kept again as read back (a re-run's rewrite: nothing decoded whole), then read back once more
    again = decode_state(encode_state(state)).corpus
    assert again.entities == first.corpus.entities and again.claims.columns == first.corpus.claims.columns
    assert list(again.claims.values()) == list(first.corpus.claims.values())


MEET_FUND = """\
rules:
  - id: meet-fund
    title: t
    severity: low
    join: topic
    bindings:
      a: {predicate: meet}
      b: {predicate: fund, speaker: person-1}
    where:
      - different-speaker: [a, b]
    message: "{a.id} {b.id}"
"""


def _fresh_pair() -> str:
    """Two claims on a topic of their own: one partition of 1 candidate tuple, one tension."""
    return claim("fresh-meet", predicate="meet", topics=["fresh-topic"]) + claim(
        "fresh-fund", speaker="person-1", predicate="fund", polarity="affirmed", topics=["fresh-topic"]
    )


def _count_appended_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record each evaluation that starts from a kept run, to be sure a test exercises that path."""
    calls: list[int] = []
    real = api.evaluate_appended

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[3])  # first_new
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "evaluate_appended", spy)
    return calls


def test_the_candidate_limit_names_the_same_largest_partition_with_and_without_the_cache(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(MEET_FUND)
    with pytest.raises(InputError) as probe:
        check([corpus], [rules], max_candidates=1)
    found = re.search(r"would try ([\d,]+) candidate tuples (\(partition '[^']+' alone [\d,]+\))", probe.value.message)
    assert found is not None
    total, largest = int(found.group(1).replace(",", "")), found.group(2)
    cache = tmp_path / "cache"
    assert check([corpus], [rules], cache_dir=cache, max_candidates=total).reuse == "full"
    append(corpus / "claims.jsonl", _fresh_pair())  # one tuple more than the limit, in a new partition
    appended = _count_appended_runs(monkeypatch)
    with pytest.raises(InputError) as cached:
        check([corpus], [rules], cache_dir=cache, max_candidates=total)
    assert appended == [3000]  # evaluated from the kept run: only the new partition was planned
    with pytest.raises(InputError) as fresh:
        check([corpus], [rules], max_candidates=total)
    assert str(cached.value) == str(fresh.value)
    # the largest partition is a kept one, not the new partition of one tuple
    assert f"would try {total + 1:,} candidate tuples {largest}, over the limit of {total:,}" in str(fresh.value)


def test_kept_matches_count_toward_the_limit_of_tensions(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(MEET_FUND)
    cache = tmp_path / "cache"
    count = sum(len(t.support) for t in check([corpus], [rules], cache_dir=cache).tensions)  # matches, not findings
    assert 100 < count < 20_000  # under the default limit
    appended = _count_appended_runs(monkeypatch)
    with pytest.raises(InputError) as kept:  # nothing new: the kept matches alone pass a lower limit
        check([corpus], [rules], cache_dir=cache, max_tensions=count - 1)
    assert kept.value.message == (
        f"rule 'meet-fund' produced more than {count - 1:,} tensions; a rule that flags that much is too broad: "
        "add field tests or predicates to it, or raise --max-tensions"
    )
    append(corpus / "claims.jsonl", _fresh_pair())  # one tension more
    with pytest.raises(InputError) as cached:
        check([corpus], [rules], cache_dir=cache, max_tensions=count)
    with pytest.raises(InputError) as fresh:
        check([corpus], [rules], max_tensions=count)
    assert str(cached.value) == str(fresh.value)
    assert f"more than {count:,} tensions" in str(fresh.value)
    grown = check([corpus], [rules], cache_dir=cache, max_tensions=count + 1)
    assert (grown.reuse, sum(len(t.support) for t in grown.tensions)) == ("appended", count + 1)
    assert appended == [3000, 3000, 3000]


def test_a_relative_cache_home_is_no_place_for_the_key(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative XDG_CACHE_HOME (or a user without a home) could put the key inside the workspace."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative-cache")
    cache = tmp_path / "cache"
    assert (run(corpus, cache).reuse, run(corpus, cache).reuse) == ("full", "full")
    assert not (tmp_path / "relative-cache").exists()


@pytest.mark.parametrize("in_c", [True, False], ids=["encoded-by-arrow", "encoded-in-python"])
def test_a_kept_table_answers_as_the_decoded_one_without_decoding(
    generated: Path, in_c: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-run reads a kept table value by value (KeptColumn): every answer must be the decoded column's,
    whichever way its columns were encoded (pyarrow for long columns, Python for short ones)."""
    monkeypatch.setattr(encoding, "ARROW_MIN", 1 if in_c else 10**9)
    table = load_corpus([generated]).claims
    claim_ids = list(table)
    rng = random.Random(7)
    hinted = rng.sample(claim_ids, 5)
    kept = ClaimTable.from_parts(unpack_parts(pack_parts(table.to_parts(hinted))), table.origin_documents)
    positions = rng.sample(range(len(table)), 200)
    for path in INDEXED_FIELDS:
        column = table.columns[path]
        assert [kept.value(path, p) for p in positions] == [column[p] for p in positions], path
        assert not kept.decoded(path)
        kind = FIELDS[path].type
        if not (kind.is_list or kind in (FieldType.text, FieldType.entity, FieldType.source)):
            continue
        texts = sorted({v for value in column for v in (value if kind.is_list else [value]) if v is not None})
        for size in (1, 3, 40):  # a search per code, or one scan of them all
            wanted = set(rng.sample(texts, min(size, len(texts)))) if texts else set()
            expected = [p for p, v in enumerate(column) if (not wanted.isdisjoint(v) if kind.is_list else v in wanted)]
            assert kept.holding(path, wanted.__contains__) == expected, (path, wanted)
    for claim_id in [*hinted, *rng.sample(claim_ids, 20)]:
        assert kept.position(claim_id) == table.position(claim_id)
    assert "no-such-claim" not in kept and kept.isdisjoint(["no-such-claim", "nor-this"])
    assert not kept.isdisjoint(["no-such-claim", claim_ids[-1]])
    assert list(kept) == claim_ids
    assert kept.columns == table.columns


def test_texts_arrow_cannot_hold_are_encoded_in_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoding, "ARROW_MIN", 1)
    column = ["a\ud800", None, "b", "a\ud800"] * 10  # a lone surrogate: not UTF-8
    parts = encoding.encode_columns({"speaker": column})
    assert encoding.decode_columns(parts, ["speaker"], len(column)) == {"speaker": column}


@pytest.mark.parametrize("typecode", ["H", "I"])
def test_codes_found_in_their_bytes_are_exactly_the_items_holding_them(typecode: str) -> None:
    rng = random.Random(typecode)
    width = array(typecode).itemsize * 8
    # codes made of few distinct bytes: many matches straddle two items, which must not count
    alphabet = [int.from_bytes(bytes(rng.choice([1, 2]) for _ in range(width // 8)), "little") for _ in range(6)]
    codes = array(typecode, [rng.choice(alphabet) for _ in range(2000)])
    for code in {*alphabet, 0}:
        assert list(encoding._found(codes.tobytes(), typecode, code)) == [i for i, c in enumerate(codes) if c == code]


def _kept_bytes(cache: Path) -> bytes:
    (path,) = cache.glob("run-*")
    return path.read_bytes()


def _encoded_here(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the claim tables this process encodes for the run cache from now on (not its children)."""
    here, encode, parent = [], claim_table.encode_columns, os.getpid()

    def counted(columns: Any) -> Any:
        if os.getpid() == parent:
            here.append(len(columns["id"]))
        return encode(columns)

    monkeypatch.setattr(claim_table, "encode_columns", counted)
    return here


def _children_beside(monkeypatch: pytest.MonkeyPatch) -> list[Beside | None]:
    """Every child started beside a run from now on (None: none could be)."""
    started: list[Beside | None] = []
    start = Beside.start

    def recorded(work: Any, folder: Path | None = None) -> Beside | None:
        started.append(start(work, folder))
        return started[-1]

    monkeypatch.setattr(Beside, "start", recorded)
    return started


def _reaped(child: Beside | None) -> bool:
    if child is None:
        return True
    try:
        os.waitpid(child.pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_a_full_run_encodes_its_claims_beside_the_evaluation_and_keeps_the_same_bytes(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = _children_beside(monkeypatch)
    serial = check([corpus], [V1_PACK], cache_dir=tmp_path / "serial", workers=LocalWorkers(1))
    assert started == []  # --jobs 1: one process
    here = _encoded_here(monkeypatch)
    beside = check([corpus], [V1_PACK], cache_dir=tmp_path / "beside", workers=LocalWorkers(2, min_job_facts=1))
    assert len(started) == 1 and started[0] is not None and here == []  # the child encoded the columns
    assert _reaped(started[0])
    assert _kept_bytes(tmp_path / "beside") == _kept_bytes(tmp_path / "serial")
    assert [t.model_dump(mode="json") for t in beside.tensions] == [t.model_dump(mode="json") for t in serial.tensions]
    append(corpus / "claims.jsonl", claim("late-denial"))
    again = check([corpus], [V1_PACK], cache_dir=tmp_path / "beside")
    assert again.reuse == "appended" and len(started) == 1  # no child for a re-run: a few claims to encode
    same_as_without_cache(again, corpus)


def _raise(columns: Any) -> Any:
    raise RuntimeError("the child fails")


def _die(columns: Any) -> Any:
    os.kill(os.getpid(), signal.SIGKILL)


def _hang(columns: Any) -> Any:
    time.sleep(60)


@pytest.mark.parametrize("failure", [_raise, _die, _hang], ids=["raises", "is-killed", "is-stuck"])
def test_a_child_that_fails_to_encode_costs_time_never_the_kept_run(
    failure: Any, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = check([corpus], [V1_PACK], cache_dir=tmp_path / "serial", workers=LocalWorkers(1))
    monkeypatch.setattr(workers, "MIN_BESIDE_WAIT", 0.5)  # a stuck child is given up on after this
    here, started = _encoded_here(monkeypatch), _children_beside(monkeypatch)
    monkeypatch.setattr(run_cache, "encode_columns", failure)  # what the child calls
    result = check([corpus], [V1_PACK], cache_dir=tmp_path / "beside", workers=LocalWorkers(2))
    assert len(started) == 1 and started[0] is not None and _reaped(started[0])
    assert here == [len(result.corpus.claims)]  # encoded again here
    assert _kept_bytes(tmp_path / "beside") == _kept_bytes(tmp_path / "serial")
    assert [t.model_dump(mode="json") for t in result.tensions] == [t.model_dump(mode="json") for t in serial.tensions]
    assert check([corpus], [V1_PACK], cache_dir=tmp_path / "beside").reuse == "appended"


def test_what_a_child_sends_for_another_corpus_is_not_kept(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = check([corpus], [V1_PACK], cache_dir=tmp_path / "serial", workers=LocalWorkers(1))
    here, started, parent = _encoded_here(monkeypatch), _children_beside(monkeypatch), os.getpid()
    monkeypatch.setattr(
        run_cache, "to_json", lambda value: encoding.to_json(value + 1 if os.getpid() != parent else value)
    )
    check([corpus], [V1_PACK], cache_dir=tmp_path / "beside", workers=LocalWorkers(2))
    assert len(started) == 1 and started[0] is not None and _reaped(started[0])
    assert here == [len(serial.corpus.claims)]  # the child said it encoded one claim more: encoded again here
    assert _kept_bytes(tmp_path / "beside") == _kept_bytes(tmp_path / "serial")


def test_a_run_that_fails_leaves_no_child_behind(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = _children_beside(monkeypatch)
    monkeypatch.setattr(run_cache, "encode_columns", _hang)
    began = time.monotonic()
    with pytest.raises(InputError, match="candidate tuples"):
        check([corpus], [V1_PACK], cache_dir=tmp_path / "cache", max_candidates=1, workers=LocalWorkers(2))
    assert time.monotonic() - began < 30  # the stuck child was stopped, not waited for
    assert len(started) == 1 and started[0] is not None and _reaped(started[0])
    assert not list((tmp_path / "cache").glob("run-*"))


def test_a_threaded_process_encodes_its_claims_itself(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No fork beside other threads (the review page runs checks from its server's threads)."""
    here, started = _encoded_here(monkeypatch), _children_beside(monkeypatch)
    results: list[CheckResult] = []
    thread = threading.Thread(target=lambda: results.append(run(corpus, tmp_path / "cache")))
    thread.start()
    thread.join()
    assert started == [None] and here == [len(results[0].corpus.claims)]
    assert run(corpus, tmp_path / "cache").reuse == "appended"


def test_what_a_check_leaves_is_not_walked_when_collection_resumes(corpus: Path) -> None:
    """The run's objects (a million claims' columns at 1M) go to the oldest generation as a check ends: no young
    collection walks them all as soon as collection resumes (0.4 s at 1M). A host program's frozen objects
    stay frozen."""
    collections: list[int] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.unfreeze()  # what in-process CLI runs of earlier tests left frozen (cli/options.py): none is, here
    assert gc.isenabled()
    gc.callbacks.append(seen)
    try:
        check([corpus], [V1_PACK])
        assert collections == [] and gc.isenabled()
        gc.freeze()  # as a host program may have
        frozen = gc.get_freeze_count()
        check([corpus], [V1_PACK])
        assert gc.get_freeze_count() == frozen
    finally:
        gc.callbacks.remove(seen)
        gc.unfreeze()
