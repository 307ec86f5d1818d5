"""Split claims into the partitions a rule is evaluated in: all bindings share the join key, so each
partition is one key value (one durable_rules session). Rules with one binding need no join and are
cut into fixed-size chunks instead."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from itertools import chain, compress, repeat
from json.encoder import encode_basestring  # json.dumps's own, with ensure_ascii=False
from math import prod
from operator import and_, eq, is_not, not_, or_
from typing import Any, cast, overload

from factcheck.compile.compiled import CompiledRule
from factcheck.errors import InputError
from factcheck.evaluate.field_tests import passes_value
from factcheck.evaluate.screens import (
    claim_filters,
    constant_predicates_hold,
    groups_may_match,
    pair_screens,
    partition_may_match,
    passes_filters,
)
from factcheck.language.field_tests import FieldTest
from factcheck.language.vocabulary import PREDICATE_FAMILY
from factcheck.model.claim import Claim
from factcheck.model.claim_table import LIST_SEPARATOR, ClaimTable, CodedList
from factcheck.model.corpus import Corpus
from factcheck.model.encoding import Accept
from factcheck.model.fields import FIELDS, FieldType, read_field
from factcheck.model.vocabulary import Vocabulary

Mask = bytearray  # one byte per claim position: 1 when the claim passes


def bitwise(op: Callable[[int, int], int], a: Mask, b: Mask) -> Mask:
    """`bytearray(map(op, a, b))` for a bitwise `op` (and_, or_), byte by byte: done on the masks read as two
    integers, in C (a million claims are two 1 MB numbers, not a million calls)."""
    size = min(len(a), len(b))
    both = op(int.from_bytes(a[:size], "little"), int.from_bytes(b[:size], "little"))
    return bytearray(both.to_bytes(size, "little"))


CHUNK_SIZE = 500
DEFAULT_MAX_CANDIDATES = 2_000_000


def _field_keys(claim: Claim, field: str, lexicon: Vocabulary | None) -> list[str]:
    if field == "topic":
        return list(dict.fromkeys(claim.topics))
    if field == PREDICATE_FAMILY:
        return [lexicon.family(claim.predicate) if lexicon is not None else claim.predicate]
    value = read_field(claim, field)
    return [] if value is None else [str(value)]


def join_values(claim: Claim, join: tuple[str, ...], lexicon: Vocabulary | None = None) -> list[tuple[str, ...]]:
    """The tuples of join values a claim belongs to: one value per join field ('topic' draws on the
    claim's topics list, so a claim may sit in several partitions); none when a join field is missing."""
    tuples: list[tuple[str, ...]] = [()]
    for field in join:
        values = _field_keys(claim, field, lexicon)
        tuples = [(*t, v) for t in tuples for v in values]
    return tuples


def partition_key(values: tuple[str, ...]) -> str:
    """A partition's key, the text durable_rules joins on: the join value, or with several join fields
    their JSON array, which no other tuple of values shares (joined with ' + ', condition 'x + y' and
    scope 'z' would meet condition 'x' and scope 'y + z')."""
    return values[0] if len(values) == 1 else json.dumps(values, ensure_ascii=False)


def key_label(key: str, join: tuple[str, ...]) -> str:
    """A partition key as messages show it: its values joined with ' + '."""
    return key if len(join) == 1 else " + ".join(json.loads(key))


def join_keys(claim: Claim, join: tuple[str, ...], lexicon: Vocabulary | None = None) -> list[str]:
    return [partition_key(values) for values in join_values(claim, join, lexicon)]


class ClaimIndex:
    """Caches over one corpus's claims, shared by every rule of an evaluation: each distinct field test
    is evaluated once, on the claim table's columns. Claims are referred to by their position in the
    table and rebuilt (`claim`) only when a predicate or the engine needs them."""

    def __init__(self, claims: ClaimTable | Iterable[Claim], corpus: Corpus | None = None) -> None:
        self.table = claims if isinstance(claims, ClaimTable) else ClaimTable(claims)
        self.size = len(self.table)
        self.corpus = corpus
        self._columns: dict[str, list[Any]] = {}
        self._passing: dict[tuple[str, str, str], Mask] = {}
        self._sharing: dict[tuple[str, frozenset[str]], list[int]] = {}
        self._views: dict[str, JoinView] = {}
        self._codes: dict[str, JoinCodes | None] = {}

    def claim(self, position: int) -> Claim:
        return self.table.at(position)

    def column(self, field: str) -> list[Any]:
        """Per claim, the field's value as `read_field` gives it."""
        if field in self.table.columns:
            return self.table.columns[field]
        if field not in self._columns:  # a field the table does not index (the quote)
            self._columns[field] = [read_field(claim, field) for claim in self.table.values()]
        return self._columns[field]

    def value(self, field: str, position: int) -> Any:
        """One claim's value of a field, as `column(field)[position]` gives it, without a whole column."""
        if field in self.table.columns:
            return self.table.value(field, position)
        if field in self._columns:
            return self._columns[field][position]
        return read_field(self.claim(position), field)

    def _evaluate(self, test: FieldTest) -> Mask:
        coded = self.table.coded(test.field) if test.field in self.table.columns else None
        if coded is not None:  # the test once per distinct value, spread over the codes in C
            import numpy as np

            verdicts = np.array([bool(passes_value(test, v)) for v in coded.distinct], np.bool_)
            return bytearray(verdicts[coded.numpy()].tobytes())
        column = self.column(test.field)
        selector = _bulk_selector(test)
        if selector is not None:  # the whole scan in C: a million claims in milliseconds
            return bytearray(map(selector, column))
        by_value = per_distinct(column, lambda v: passes_value(test, v))
        if by_value is not None:  # the test once per distinct value, spread in C
            return by_value
        check = _fast_check(test)
        if check is None:
            return bytearray(passes_value(test, v) for v in column)
        return bytearray(check(v) is True for v in column)

    def passing(self, tests: tuple[FieldTest, ...]) -> Mask | None:
        """Which claims pass all `tests` (a byte per claim); None when there is no test (every claim)."""
        result: Mask | None = None
        for test in tests:
            key = (test.field, test.op, json.dumps(test.value))
            if key not in self._passing:
                self._passing[key] = self._evaluate(test)
            mask = self._passing[key]
            result = mask if result is None else bitwise(and_, result, mask)
        return result

    def admitted(self, rule: CompiledRule, among: list[int] | None = None) -> list[Mask | None]:
        """Per binding, the positions of the claims passing its field tests (engine-side and Python-side);
        None for every claim. With `among`, only those positions are looked at (a few new claims)."""
        if among is None:
            return [self.passing(binding.tests) for binding in rule.bindings]
        masks: list[Mask | None] = []
        values: dict[str, list[Any]] = {}  # per field, its values at `among`
        for binding in rule.bindings:
            passing = [True] * len(among)
            for test in binding.tests:
                if test.field not in values:
                    values[test.field] = self.values_at(test.field, among)
                known: dict[str, bool] = {}
                passing = [ok and _verdict(test, known, v) for ok, v in zip(passing, values[test.field], strict=True)]
            mask = bytearray(self.size)
            for position in compress(among, passing):
                mask[position] = 1
            masks.append(mask)
        return masks

    def values_at(self, field: str, positions: list[int]) -> list[Any]:
        """`value(field, p)` for each of `positions`."""
        if field in self.table.columns:
            return self.table.values_at(field, positions)
        return [self.value(field, p) for p in positions]

    def positions(self, masks: list[Mask | None]) -> list[int]:
        """Positions some mask admits (every claim when one of them is None)."""
        if not masks or any(mask is None for mask in masks):
            return list(range(self.size))
        union = masks[0]
        for mask in masks[1:]:
            union = bitwise(or_, union, mask)  # type: ignore[arg-type]
        return list(_nonzero(union).tolist())  # type: ignore[arg-type]

    def positions_array(self, masks: list[Mask | None]) -> Any:
        """`positions`, as a numpy array."""
        import numpy as np

        if not masks or any(mask is None for mask in masks):
            return np.arange(self.size)
        union = masks[0]
        for mask in masks[1:]:
            union = bitwise(or_, union, mask)  # type: ignore[arg-type]
        return _nonzero(union)  # type: ignore[arg-type]

    def join_codes(self, join: tuple[str, ...]) -> list[JoinCodes] | None:
        """Per join field, its keys as codes (JoinCodes), where every join field is a coded column of the
        table (claims read as columns) and its keys texts; None otherwise."""
        found = []
        for field in join:
            if field not in self._codes:
                self._codes[field] = self._join_codes(field)
            codes = self._codes[field]
            if codes is None:
                return None
            found.append(codes)
        return found

    def _join_codes(self, field: str) -> JoinCodes | None:
        import numpy as np

        path = "predicate" if field == PREDICATE_FAMILY else "topics" if field == "topic" else field
        if field not in ("topic", PREDICATE_FAMILY) and (field not in FIELDS or FIELDS[field].type not in _TEXT_TYPES):
            return None
        coded = self.table.coded(path) if path in self.table.columns else None
        if coded is None:
            return None
        if field == "topic":
            return _list_codes(coded)
        distinct = coded.distinct
        if field != PREDICATE_FAMILY:  # a coded column's texts are distinct: numbered as they come, in C
            held = list(distinct)
            numbers = np.arange(len(held), dtype=np.int32)
            if None in held:
                absent = held.index(None)
                del held[absent]
                numbers[absent + 1 :] -= 1
                numbers[absent] = len(held)  # absent: one past the texts
            return JoinCodes(held, numbers[coded.numpy()])
        family = self.corpus.lexicon.family if self.corpus is not None else str
        distinct = [None if v is None else family(v) for v in distinct]
        numbering: dict[str, int] = {}
        texts: list[str] = []
        remap = []
        for value in distinct:
            if value is None:
                remap.append(-1)
            else:
                code = numbering.setdefault(value, len(texts))
                if code == len(texts):
                    texts.append(value)
                remap.append(code)
        mapped = np.array(remap, np.int32)
        mapped[mapped < 0] = len(texts)  # absent: one past the texts
        return JoinCodes(texts, mapped[coded.numpy()])

    def sharing(self, join: tuple[str, ...], positions: list[int]) -> list[int]:
        """The positions `sharing_join_values` admits: a scan of every claim for the first join field, kept
        for the next rule (a re-run's rules mostly join on the same fields and the same few new claims'
        values), then a look at the claims it admits alone for the other fields."""
        if not join:
            return []
        values = [join_values_at(self.join_values(field), field == "topic", positions) for field in join]
        keys = [(field, frozenset(v)) for field, v in zip(join, values, strict=True)]
        # the scan starts from a field another rule scanned for the same values, if any: the same set
        first = next((i for i, key in enumerate(keys) if key in self._sharing), 0)
        if keys[first] not in self._sharing:
            self._sharing[keys[first]] = self._holding(join[first], values[first])
        candidates = self._sharing[keys[first]]
        for i, field in enumerate(join):
            if i != first:
                candidates = self._holding(field, values[i], candidates)
        return candidates

    def keep_sharing(self, join: tuple[str, ...], positions: list[int], candidates: list[int]) -> list[int]:
        """The `candidates` (ascending) that `sharing_join_values` would admit, found by looking at those alone:
        those sharing, field by field, a key with a claim at `positions` (kept columns compared as codes)."""
        for field in join:
            values = join_values_at(self.join_values(field), field == "topic", positions)
            candidates = self._holding(field, values, candidates)
        return candidates

    def _holding(self, field: str, values: set[str], among: list[int] | None = None) -> list[int]:
        """The positions (of `among`, ascending, if given) whose key for a join field is one of `values`: on
        a kept column (a re-run), each distinct kept value is looked at once and claims are compared by
        their codes, in C where they are all scanned; nothing is decoded whole."""
        path = "predicate" if field == PREDICATE_FAMILY else "topics" if field == "topic" else field
        texts = field in ("topic", PREDICATE_FAMILY) or FIELDS[field].type in _TEXT_TYPES
        if texts and path in self.table.columns and not self.table.decoded(path):
            accept: Accept = values
            if field == PREDICATE_FAMILY:
                family = self.corpus.lexicon.family if self.corpus is not None else str

                def accept(predicate: str) -> bool:
                    return family(predicate) in values

            if among is None:
                return self.table.holding(path, accept)
            return self.table.keep_holding(path, among, accept)
        column, is_list = self.join_column(field), field == "topic"
        if among is None:
            return list(compress(range(self.size), sharing_values(column, is_list, values)))
        if is_list:
            return [p for p in among if not values.isdisjoint(column[p])]
        return [p for p in among if column[p] in values]

    def join_values(self, field: str) -> Sequence[Any]:
        """`join_column(field)`, or where that column is kept and not decoded, a view of it read claim by
        claim (a re-run looks at a few claims' keys)."""
        path = "predicate" if field == PREDICATE_FAMILY else "topics" if field == "topic" else field
        if path not in self.table.columns or self.table.decoded(path) or f"join:{field}" in self._columns:
            return self.join_column(field)
        if field not in self._views:
            self._views[field] = JoinView(self, field, path)
        return self._views[field]

    def join_column(self, field: str) -> list[Any]:
        """Per claim, its key for one join field: a text, None, or for 'topic' a list of texts."""
        cache_key = f"join:{field}"
        if cache_key not in self._columns:
            column: list[Any]
            if field == "topic":  # a topic listed twice is one partition, not two
                topics = self.column("topics")
                # checked once per distinct list (the claim table shares equal lists): mostly none to fix
                distinct = dict(zip(map(id, topics), topics, strict=True))
                fixed = {k: list(dict.fromkeys(t)) for k, t in distinct.items() if len(set(t)) < len(t)}
                column = [fixed.get(id(t), t) for t in topics] if fixed else topics
            elif field == PREDICATE_FAMILY:
                family = self.corpus.lexicon.family if self.corpus is not None else str
                families = {p: family(p) for p in set(self.column("predicate"))}
                column = list(map(families.__getitem__, self.column("predicate")))
            elif FIELDS[field].type in _TEXT_TYPES:
                column = self.column(field)
            else:
                column = [None if v is None else str(v) for v in self.column(field)]
            self._columns[cache_key] = column
        return self._columns[cache_key]


class JoinCodes:
    """One join field's keys per claim as codes into `texts`: `codes` per claim (len(texts): none), or for
    'topic', per claim the code of its list (`lists`), whose keys are `items[offsets[l]:offsets[l + 1]]`
    (each list's keys once)."""

    def __init__(self, texts: list[str], codes: Any = None, lists: Any = None, offsets: Any = None, items: Any = None):
        self.texts, self.codes, self.lists, self.offsets, self.items = texts, codes, lists, offsets, items

    def holding(self, wanted: Any) -> Any:
        """Per claim, whether it holds a key `wanted` (a bool per text) takes."""
        import numpy as np

        if self.lists is None:
            return np.append(wanted, False)[self.codes]
        owners = np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))
        taken = np.bincount(owners, weights=wanted[self.items], minlength=len(self.offsets) - 1) > 0
        return taken[self.lists]

    def held(self, positions: Any) -> Any:
        """A bool per text: whether one of the claims at `positions` holds it."""
        import numpy as np

        wanted = np.zeros(len(self.texts) + 1, np.bool_)
        if self.lists is None:
            wanted[self.codes[positions]] = True
            return wanted[:-1]
        marked = np.zeros(len(self.offsets) - 1, np.bool_)
        marked[self.lists[positions]] = True
        lists = np.flatnonzero(marked)
        starts, ends = self.offsets[lists], self.offsets[lists + 1]
        wanted[self.items[_ranges(starts, ends)]] = True
        return wanted[:-1]


def _ranges(starts: Any, ends: Any) -> Any:
    """The indices start..end of each (start, end) pair, concatenated."""
    import numpy as np

    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, np.int64)
    firsts = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return firsts + np.arange(total)


def _list_codes(coded: CodedList) -> JoinCodes | None:
    """A list column's JoinCodes: each distinct list split into its texts in C, a text listed twice once."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = coded.keys
    try:
        joined = pa.array(keys, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a key as a tuple (a text holding the separator): in Python
        return None
    split = pc.split_pattern(joined, LIST_SEPARATOR)
    flat = pc.list_flatten(split)
    encoded = pc.dictionary_encode(flat)
    texts = encoded.dictionary.to_pylist()
    owners = pc.list_parent_indices(split).to_numpy().astype(np.int64)
    items = encoded.indices.to_numpy().astype(np.int64)
    pairs = np.sort(owners * (len(texts) + 1) + items)  # sorted by list, then each text once per list
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs  # (np.unique: 6x slower)
    owners, items = pairs // (len(texts) + 1), pairs % (len(texts) + 1)
    offsets = np.zeros(len(keys) + 1, np.int64)
    np.cumsum(np.bincount(owners, minlength=len(keys)), out=offsets[1:])
    return JoinCodes(texts, lists=coded.numpy(), offsets=offsets, items=items)


def coded_sharing(join: list[JoinCodes], chosen: Any, marked: Any) -> Any:
    """`sharing_join_values` over codes: of the positions `chosen` (a numpy array), those sharing, join field
    by join field, a key with a claim at `marked`."""
    import numpy as np

    near = np.ones(len(chosen), np.bool_)
    for codes in join:
        near &= codes.holding(codes.held(marked))[chosen]
    return chosen[near]


def coded_groups(join: list[JoinCodes], chosen: Any, minimum: int) -> dict[str, list[int]]:
    """`group_claims` over codes: the claims at `chosen` (ascending) by partition key, keys held by fewer than
    `minimum` claims left out."""
    import numpy as np

    at = np.asarray(chosen, np.int64)
    keys: list[Any] = []  # per join field, the code of each (claim, key) pair so far
    for codes in join:
        if codes.lists is None:
            values = codes.codes[at]
            present = values < len(codes.texts)
            at, keys = at[present], [k[present] for k in keys]
            keys.append(values[present])
            continue
        lists = codes.lists[at]
        starts, ends = codes.offsets[lists], codes.offsets[lists + 1]
        owners = np.repeat(np.arange(len(at)), ends - starts)  # one pair per key: two topics, two partitions
        at, keys = at[owners], [k[owners] for k in keys]
        keys.append(codes.items[_ranges(starts, ends)])
    if not len(at):
        return {}
    combined = keys[0].astype(np.int64)
    for codes, values in zip(join[1:], keys[1:], strict=True):
        width = len(codes.texts) + 1
        if int(combined.max()) >= (1 << 62) // width:  # renumbered densely before it could overflow
            combined = np.unique(combined, return_inverse=True)[1].astype(np.int64)
        combined = combined * width + values
    order = np.argsort(combined, kind="stable")  # stable: each partition's claims stay in claim order
    ordered = combined[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(ordered)]
    large = (ends - starts) >= minimum
    starts, ends = starts[large], ends[large]
    firsts = order[starts]
    members = at[order[_ranges(starts, ends)]].tolist()  # the kept groups' claims alone, back to back
    bounds = np.cumsum(ends - starts)
    spans = zip((bounds - (ends - starts)).tolist(), bounds.tolist(), strict=True)
    if len(join) == 1:
        texts = map(join[0].texts.__getitem__, keys[0][firsts].tolist())
        return {key: members[s:e] for key, (s, e) in zip(texts, spans, strict=True)}
    # partition_key's JSON array, each text encoded once, not once per partition (as json.dumps writes it)
    columns = []
    for codes, values in zip(join, keys, strict=True):
        encoded: dict[int, str] = {}
        column = []
        for code in values[firsts].tolist():
            text = encoded.get(code)
            if text is None:
                text = encoded[code] = encode_basestring(codes.texts[code])
            column.append(text)
        columns.append(column)
    tuples = map(", ".join, zip(*columns, strict=True))
    return {f"[{key}]": members[s:e] for key, (s, e) in zip(tuples, spans, strict=True)}


def _nonzero(mask: Mask) -> Any:
    """The positions a mask admits, as a numpy array."""
    import numpy as np

    return np.flatnonzero(np.frombuffer(mask, np.uint8)) if mask else np.zeros(0, np.int64)


class JoinView(Sequence[Any]):
    """Per claim, its key for one join field as `ClaimIndex.join_column` gives it, read one claim at a time
    from the claim table (a kept column is not decoded whole)."""

    def __init__(self, index: ClaimIndex, field: str, path: str) -> None:
        self.table, self.size, self.field, self.path = index.table, index.size, field, path
        self._family = index.corpus.lexicon.family if index.corpus is not None else str
        self._text = field in (PREDICATE_FAMILY, "topic") or FIELDS[field].type in _TEXT_TYPES
        self._fixed: dict[int, Any] = {}  # per distinct list (by identity), itself or without repeats

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, position: int) -> Any: ...

    @overload
    def __getitem__(self, position: slice) -> list[Any]: ...

    def __getitem__(self, position: int | slice) -> Any:
        if isinstance(position, slice):
            return [self[p] for p in range(self.size)[position]]
        value = self.table.value(self.path, position)
        if self.field == "topic":  # a topic listed twice is one partition, not two
            fixed = self._fixed.get(id(value))
            if fixed is None:
                fixed = self._fixed[id(value)] = value if len(set(value)) == len(value) else list(dict.fromkeys(value))
            return fixed
        if self.field == PREDICATE_FAMILY:
            return self._family(value)
        return value if self._text or value is None else str(value)


class ClaimFilters:
    """The predicates of a rule that read one binding alone (screens.py), checked on demand and at most
    once per claim and binding: most claims never share a partition with anything, so never need it."""

    def __init__(self, rule: CompiledRule, index: ClaimIndex, active: bool = True) -> None:
        self.index = index
        self.corpus = index.corpus
        by_name = claim_filters(rule) if active and index.corpus is not None else {}
        self.calls = [by_name.get(name, []) for name in rule.binding_names]
        self.names = rule.binding_names
        self._known: list[dict[int, bool]] = [{} for _ in rule.bindings]

    def keep(self, binding: int, positions: list[int]) -> list[int]:
        calls, corpus = self.calls[binding], self.corpus
        if not calls or corpus is None:
            return positions
        known, name = self._known[binding], self.names[binding]
        kept = []
        for position in positions:
            verdict = known.get(position)
            if verdict is None:
                verdict = known[position] = passes_filters(name, calls, self.index.claim(position), corpus)
            if verdict:
                kept.append(position)
        return kept

    def all_admitted(self, binding: int, mask: Mask | None) -> list[int]:
        return self.keep(binding, self.index.positions([mask]))


_TEXT_TYPES = (FieldType.text, FieldType.entity, FieldType.source)  # columns of texts or None
_BY_VALUE = (frozenset({str, type(None)}), frozenset({int, type(None)}))  # 1, 1.0 and True are equal keys


def per_distinct(column: list[Any], verdict: Callable[[Any], bool]) -> Mask | None:
    """`verdict` of each value, computed once per distinct value: lists by identity (the claim table
    shares equal lists), texts and whole numbers by value. None for a column of other values (a float
    key would meet an equal int or bool whose verdict may differ)."""
    if not column:
        return bytearray()
    if type(column[0]) is list:
        distinct = {id(v): v for v in column}
        if all(type(v) is list for v in distinct.values()):
            verdicts = {key: bool(verdict(v)) for key, v in distinct.items()}
            return bytearray(map(verdicts.__getitem__, map(id, column)))
        return None
    types = set(map(type, column))
    if not any(types <= allowed for allowed in _BY_VALUE):
        return None
    by_value = {v: bool(verdict(v)) for v in set(column)}
    return bytearray(map(by_value.__getitem__, column))


def _verdict(test: FieldTest, known: dict[str, bool], value: Any) -> bool:
    """`passes_value`, once per distinct text (claims sharing a partition share most of their values)."""
    if type(value) is not str:
        return passes_value(test, value)
    verdict = known.get(value)
    if verdict is None:
        verdict = known[value] = passes_value(test, value)
    return verdict


def _bulk_selector(test: FieldTest) -> Callable[[Any], Any] | None:
    """A C-implemented callable equal to `passes_value` on the test's column, where one exists."""
    kind = FIELDS[test.field].type if test.field in FIELDS else None
    if test.op == "exists" and test.value is True:
        return bool if kind is not None and kind.is_list else partial(is_not, None)
    if kind not in _TEXT_TYPES:
        return None
    if test.op == "eq" and isinstance(test.value, str):
        return partial(eq, test.value)
    if test.op == "in" and all(isinstance(v, str) for v in test.value):
        return frozenset(test.value).__contains__
    return None


def _fast_check(test: FieldTest) -> Callable[[Any], bool] | None:
    """Plain-Python equivalents of `passes_value` for the common text tests (text equality is already
    type-strict), so a million claims are screened without a function call per test."""
    value = test.value
    if test.op == "eq" and isinstance(value, str):
        return value.__eq__
    if test.op == "ne" and isinstance(value, str):
        return lambda v: v is not None and v != [] and v != value
    if test.op in ("in", "not-in") and all(isinstance(v, str) for v in value):
        choices = frozenset(value)
        if test.op == "in":
            return lambda v: isinstance(v, str) and v in choices
        return lambda v: v is not None and v != [] and not (isinstance(v, str) and v in choices)
    if test.op == "exists":
        wanted = bool(value)
        return lambda v: (v is not None and v != []) is wanted
    return None


def sharing_join_values(columns: list[tuple[Sequence[Any], bool]], positions: list[int]) -> Mask:
    """Which claims share, join field by join field, a value with one of the claims at `positions`: a
    claim that does not can never be in a partition with any of them. One scan in C per join field."""
    mask: Mask | None = None
    for column, is_list in columns:
        hits = sharing_values(column, is_list, join_values_at(column, is_list, positions))
        mask = hits if mask is None else bitwise(and_, mask, hits)
    return mask if mask is not None else bytearray()


def join_values_at(column: Sequence[Any], is_list: bool, positions: list[int]) -> set[str]:
    """The join values of the claims at `positions` in one join column."""
    values: set[str] = set()
    for position in positions:
        value = column[position]
        if is_list:
            values.update(value)
        elif value is not None:
            values.add(value)
    return values


def sharing_values(column: Sequence[Any], is_list: bool, values: set[str]) -> Mask:
    """Which claims hold one of `values` in one join column (one scan in C)."""
    if is_list:
        return bytearray(map(not_, map(values.isdisjoint, column)))
    return bytearray(map(values.__contains__, column))


def group_claims(
    positions: Iterable[int], columns: list[tuple[Sequence[Any], bool]] | list[JoinCodes], minimum: int
) -> dict[str, list[int]]:
    """Positions by partition key (the same keys as `join_keys`), each list in claim order, for keys
    shared by at least `minimum` claims. Built column by column over all claims at once: a per-claim
    loop is too slow for a million claims. A column is (values, whether each value is a list of keys).
    Several join fields give value tuples (zipped in C), written as their key text once per partition.
    Columns may instead be JoinCodes (`ClaimIndex.join_codes`): grouped as codes (coded_groups)."""
    if columns and isinstance(columns[0], JoinCodes):
        return coded_groups(columns, positions, minimum)
    columns = cast(list[tuple[Sequence[Any], bool]], columns)
    chosen = positions if isinstance(positions, list) else list(positions)
    keys: list[list[Any]] = []  # per join field, the value of each (position, key) pair so far
    for column, is_list in columns:
        if is_list:  # one pair per value: a claim with two topics joins two partitions
            owners: list[int] = []  # parallel lists, not a tuple per pair: a million pairs are ~100 MB less
            values: list[Any] = []
            for j, items in enumerate(map(column.__getitem__, chosen)):
                if items:
                    owners.extend(repeat(j, len(items)))
                    values.extend(items)
            chosen = list(map(chosen.__getitem__, owners))
            keys = [list(map(k.__getitem__, owners)) for k in keys]
            keys.append(values)
            continue
        values = list(map(column.__getitem__, chosen))
        present = list(map(is_not, values, repeat(None)))
        if not all(present):
            chosen = list(compress(chosen, present))
            keys = [list(compress(k, present)) for k in keys]
            values = list(compress(values, present))
        keys.append(values)
    tuples: list[Any] = keys[0] if len(keys) == 1 else list(zip(*keys, strict=True)) if keys else []
    if minimum > 1:  # most keys of a large corpus are one claim's alone: drop them in C
        counts = Counter(tuples)
        shared = {key for key, count in counts.items() if count >= minimum}
        del counts
        kept = list(map(shared.__contains__, tuples))
        chosen, tuples = list(compress(chosen, kept)), list(compress(tuples, kept))
    groups: dict[Any, list[int]] = defaultdict(list)
    for position, key in zip(chosen, tuples, strict=True):
        groups[key].append(position)
    if len(columns) > 1:
        return {partition_key(values): members for values, members in groups.items()}
    return groups


def partitions(
    rule: CompiledRule,
    claims: ClaimIndex | Iterable[Claim],
    limit: int = DEFAULT_MAX_CANDIDATES,
    screened: bool = True,
) -> list[tuple[str, list[int]]]:
    """(key, claim positions) pairs in a deterministic order, holding only claims some binding may take
    (field tests and one-binding predicates); partitions where some binding has no candidate, or where
    no pair of claims could satisfy a two-binding predicate (screens.py), are dropped.
    Refuses, before any work, a rule that would be tried on more than `limit` candidate tuples: a
    3-binding rule over a topic of 1,000 claims is 10^9 tuples, hours of work. The reference engine
    uses no screens, so it counts its tuples with `screened=False` and may refuse more."""
    index = claims if isinstance(claims, ClaimIndex) else ClaimIndex(claims)
    planned = plan_partitions(rule, index, screened=screened)
    check_budget(rule, planned, limit)
    return [(key, members) for key, members, _ in planned]


Planned = list[tuple[str, list[int], int]]  # key, claim positions, candidate tuples it holds


def plan_partitions(
    rule: CompiledRule,
    index: ClaimIndex,
    among: list[int] | None = None,
    keys: set[str] | None = None,
    screened: bool = True,
) -> Planned:
    """The partitions of `partitions`, with their candidate tuple counts. With `among` and `keys`, only
    the partitions named in `keys`, formed from the claims at positions `among` (which must hold every
    claim of those partitions): what a re-run after new claims re-evaluates. `screened=False` plans
    with the field tests alone."""
    screened = screened and index.corpus is not None
    if screened and not constant_predicates_hold(rule, index.corpus):  # type: ignore[arg-type]
        return []
    admitted = index.admitted(rule, among)
    filters = ClaimFilters(rule, index, active=screened)
    if len(rule.bindings) == 1:
        if among is None:
            passing = filters.all_admitted(0, admitted[0])
        else:  # the mask admits none but these: look at them alone, not at every claim
            passing = filters.keep(0, [p for p in among if admitted[0] is None or admitted[0][p]])
        return [
            (f"chunk {i // CHUNK_SIZE}", passing[i : i + CHUNK_SIZE], len(passing[i : i + CHUNK_SIZE]))
            for i in range(0, len(passing), CHUNK_SIZE)
        ]
    # a claim no binding's field tests admit can never be part of a match
    union: Any
    coded = index.join_codes(rule.join) if among is None else None
    if coded is not None:  # claims read as columns: a numpy array, joined and grouped as codes
        union = index.positions_array(admitted)
    elif among is None:
        union = index.positions(admitted)
    else:  # the masks admit none but these: look at them alone, not at every claim
        union = sorted({p for p in among if any(mask is None or mask[p] for mask in admitted)})
    rarest = min((m for m in admitted if m is not None), key=lambda m: m.count(1), default=None)
    # every partition needs a claim of the rarest binding: keep only claims that share each join value with
    # one of those (a semi-join in C; 1M claims otherwise all get a key built)
    semi_join = rarest is not None and rarest.count(1) * 4 < len(union)
    # bindings take distinct claims, so a partition needs at least as many claims as bindings
    if coded is not None:
        if semi_join and rarest is not None:
            union = coded_sharing(coded, union, _nonzero(rarest))
        groups = group_claims(union, coded, len(rule.bindings))
    else:
        join_column = index.join_column if among is None else index.join_values  # a few claims: no whole column
        columns = [(join_column(field), field == "topic") for field in rule.join]
        if semi_join and rarest is not None:
            if among is not None:  # a few claims' partitions: look at theirs, not at every claim's
                union = index.keep_sharing(rule.join, [p for p in union if rarest[p]], union)
            else:
                near = sharing_join_values(columns, list(compress(range(index.size), rarest)))
                union = list(compress(union, map(near.__getitem__, union)))
        groups = group_claims(union, columns, len(rule.bindings))
    screens = pair_screens(rule) if screened else []
    by_field: dict[str, tuple[Any, list[Any]]] = {}

    def read(position: int, field: str) -> Any:
        if among is not None:  # a few claims' partitions: their values, not whole columns
            return index.value(field, position)
        if field not in by_field:
            coded = index.table.coded(field) if field in index.table.columns else None
            # a coded column read through its codes: decoding it whole would cost more than these reads
            by_field[field] = (None, index.column(field)) if coded is None else (coded.codes, coded.distinct)
        codes, values = by_field[field]
        return values[position] if codes is None else values[codes[position]]

    if coded is not None and screens and all(m == admitted[0] for m in admitted) and not any(filters.calls):
        # every binding takes every claim of a group (the union of equal masks is each of them): screened at once
        groups = _screened_groups(groups, screens, index)
    names = rule.binding_names
    planned = []
    for key in sorted(groups if keys is None else keys & groups.keys()):
        members = groups[key]
        takers = [members if mask is None else [p for p in members if mask[p]] for mask in admitted]
        if not all(takers):
            continue
        takers = [filters.keep(b, t) for b, t in enumerate(takers)]
        product = prod(len(t) for t in takers)
        if product == 0:
            continue
        if screens and not partition_may_match(screens, dict(zip(names, takers, strict=True)), read):
            continue
        taken = set().union(*takers)
        planned.append((key, [p for p in members if p in taken], product))
    return planned


def _screened_groups(groups: dict[str, list[int]], screens: list[Any], index: ClaimIndex) -> dict[str, list[int]]:
    """The groups `groups_may_match` keeps (numpy over all groups; the loop of plan_partitions then checks
    the partitions left one by one, as it does every partition)."""
    import numpy as np

    if not groups:
        return groups
    sizes = np.fromiter(map(len, groups.values()), np.int64, len(groups))
    flat = np.fromiter(chain.from_iterable(groups.values()), np.int64, int(sizes.sum()))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))

    def columns(field: str) -> tuple[Any, Sequence[Any]] | None:
        if field not in index.table.columns:
            return None
        coded = index.table.coded(field)
        return (None, index.column(field)) if coded is None else (coded.numpy(), coded.distinct)

    alive = groups_may_match(screens, flat, starts, columns)
    return {key: groups[key] for key in compress(groups, alive.tolist())}


def check_budget(rule: CompiledRule, planned: Planned, limit: int, kept: Mapping[str, int] | None = None) -> None:
    """Refuse a rule over `limit` candidate tuples. `kept`: the candidate counts of partitions a run
    cache keeps from an earlier run (by key, none of them in `planned`), which count too."""
    products = {**(kept or {}), **{key: product for key, _, product in planned}}
    total = sum(products.values())
    if total > limit:
        # the largest partition over kept and planned ones, the first by key on a tie: a run with the
        # cache names the same one as a run without it
        key, largest = min(products.items(), key=lambda item: (-item[1], item[0]), default=("", 0))
        name = "all claims" if len(rule.bindings) == 1 else key_label(key, rule.join)
        _check_budget(rule, total, (name, total if len(rule.bindings) == 1 else largest), limit)


def _check_budget(rule: CompiledRule, total: int, largest: tuple[str, int], limit: int) -> None:
    if total > limit:
        raise InputError(
            rule.location,
            f"rule '{rule.id}' would try {total:,} candidate tuples (partition '{largest[0]}' alone {largest[1]:,}), "
            f"over the limit of {limit:,}; add field tests to its bindings or join on a more selective field, "
            "or raise --max-candidates",
        )
