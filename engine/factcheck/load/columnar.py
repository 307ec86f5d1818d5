"""Claims of a JSON Lines block read as columns: pyarrow's JSON reader (C++, on every core) parses the block
against one strict schema, the checks pydantic makes (types, patterns, enums, dates, required fields) run as
vectorised checks over the columns, and the valid claims come out as the claim table's columns.

It only ever certifies: a line it is not sure of (a surrogate escape, a control character, the word null, a
shape outside the schema such as an event time, a count with parts or a literal `value`, or a line that
fails a check) is left to the per-line path (pydantic, with its located message). So claims and errors
are exactly those of the per-line loader (tests/test_columnar_load.py compares the two on random
corpora with bad lines); only the time differs.

Why each line guard: arrow reads `null` as absent where pydantic refuses `polarity: null` (lines holding
the word go the per-line way; the block is searched for it only when its colons do not add up, see
`without_null`); it may read `{..}{..}` on one line as two rows (the row count must match the lines); and
lone surrogate escapes and control characters are where JSON readers differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, compress, pairwise, repeat
from operator import add
from typing import Any, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from factcheck.load.yaml_document import MAX_SCALAR_CHARS
from factcheck.model.claim import MAX_COUNT, TERM_PATTERN, Polarity, QuoteKind, Status
from factcheck.model.claim_table import LIST_SEPARATOR, ROW_FIELDS, Coded, shared_date
from factcheck.model.dates import FuzzyDate
from factcheck.model.source import ID_PATTERN

_TEXT = pa.string()
_TEXTS = pa.list_(pa.string())
QUALIFIERS = pa.struct(
    [
        ("count", pa.int64()),  # a plain whole number; a mapping or a float is left to pydantic
        ("place", _TEXT),
        ("means", _TEXTS),
        ("condition", _TEXT),
        ("purpose", _TEXT),
        ("frequency", _TEXT),
        ("scope", _TEXT),
        ("modality", _TEXT),
        ("parties", _TEXTS),
    ]
)
SCHEMA = pa.schema(
    [
        ("id", _TEXT),
        ("speaker", _TEXT),
        ("source", _TEXT),
        ("said_on", _TEXT),  # the short text form; a mapping is left to pydantic
        ("quote", _TEXT),
        ("quote_kind", _TEXT),
        ("subject", _TEXT),
        ("predicate", _TEXT),
        ("object", _TEXT),
        ("polarity", _TEXT),
        ("status", _TEXT),
        ("topics", _TEXTS),
        ("note", _TEXT),
        ("qualifiers", QUALIFIERS),
    ]
)
_PARSE = pj.ParseOptions(explicit_schema=SCHEMA, unexpected_field_behavior="error")
# Bytes that send a line to the per-line path wherever they occur (see the module's docstring).
# These escapes and \r: a block is searched (a scan each) for those its bytes may hold.
_ESCAPES = (b"\\ud", b"\\uD", b"\\u001f", b"\\u001F")
_BOM = b"\xef\xbb\xbf"  # a byte order mark: pydantic refuses one, a JSON reader may skip it
# Keys and shapes outside the schema: looked for only in a block arrow refused as a whole.
_OTHER_SHAPES = (b'"when"', b'"attribution"', b'"value"', b'"count": {', b'"count":{', b'"said_on": {', b'"said_on":{')
# malloc's pool: arrow's default one keeps freed blocks for reuse, tens of MB the table never needs again
_POOL = pa.system_memory_pool()
_SMALLEST = 16  # a refused group of lines this small goes to the per-line path without more halving
_REQUIRED = ("id", "speaker", "source", "said_on", "quote", "quote_kind", "subject", "predicate")


@dataclass
class Certified:
    """Of a block's lines, which hold a claim read here (`valid`), and those claims' table columns in
    line order (ROW_FIELDS paths)."""

    valid: list[bool]
    columns: dict[str, Any]  # a list, or texts, dates and lists as Coded


class BlockLines(Sequence[bytes]):
    """The lines of a block of bytes (split at single line breaks), found by numpy in one scan: no list of a
    block's lines is made, and the block itself is what arrow reads."""

    def __init__(self, block: bytes) -> None:
        self.block = block
        breaks = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
        # line i is block[starts[i] : starts[i + 1] - 1]
        self.starts = np.concatenate(([0], breaks + 1, [len(block) + 1]))
        self._at: list[int] | None = None  # the starts as Python ints, once lines are read one by one
        self._size = len(self.starts) - 1

    def lengths(self) -> Any:
        return np.diff(self.starts) - 1

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, at: int) -> bytes: ...

    @overload
    def __getitem__(self, at: slice) -> list[bytes]: ...

    def __getitem__(self, at: int | slice) -> bytes | list[bytes]:
        if isinstance(at, slice):
            return [self[i] for i in range(len(self))[at]]
        if not -self._size <= at < self._size:
            raise IndexError(at)
        if self._at is None:
            self._at = self.starts.tolist()
        at %= self._size
        return self.block[self._at[at] : self._at[at + 1] - 1]

    def __iter__(self) -> Iterator[bytes]:
        block, starts = self.block, self.starts.tolist()
        return (block[start : end - 1] for start, end in pairwise(starts))


class SeenFields:
    """The optional fields a file's claims have given so far. Arrow's parse costs for every field of its schema,
    absent ones too (a fifth of a block's parse with the eight qualifiers the benchmark corpus never gives), so
    a block is parsed first against these alone: when one of its lines gives another field, arrow refuses the
    block and it is parsed again against the whole schema, which adds that field here."""

    def __init__(self) -> None:
        self.paths: set[str] = set()  # top-level names, and `qualifiers.<name>`
        self._options: pj.ParseOptions | None = None

    def options(self) -> pj.ParseOptions:
        if self._options is None:
            qualifiers = pa.struct([f for f in QUALIFIERS if f"qualifiers.{f.name}" in self.paths])
            fields = [
                f if f.name != "qualifiers" else pa.field("qualifiers", qualifiers)
                for f in SCHEMA
                if f.name in _REQUIRED or f.name in self.paths
            ]
            self._options = pj.ParseOptions(explicit_schema=pa.schema(fields), unexpected_field_behavior="error")
        return self._options

    def saw(self, table: pa.Table) -> None:
        """Add the fields some row of `table` (against the whole schema) gives a value."""
        given = {f.name for f in SCHEMA if table.column(f.name).null_count < table.num_rows}
        if "qualifiers" in given:
            qualifiers = table.column("qualifiers")
            for spec in QUALIFIERS:
                if pc.struct_field(qualifiers, spec.name).null_count < len(qualifiers):
                    given.add(f"qualifiers.{spec.name}")
        if not given <= self.paths:
            self.paths |= given
            self._options = None


def _widened(table: pa.Table) -> pa.Table:
    """A table parsed against fewer fields (SeenFields), as the whole schema would have read it: the fields
    no line gave, null."""
    size = table.num_rows
    columns = []
    for spec in SCHEMA:
        if spec.name not in table.column_names:
            columns.append(pa.nulls(size, spec.type))
        elif spec.name == "qualifiers":
            chunks = []
            for chunk in table.column("qualifiers").chunks:
                given = {chunk.type.field(i).name: chunk.field(i) for i in range(chunk.type.num_fields)}
                children = [given[f.name] if f.name in given else pa.nulls(len(chunk), f.type) for f in QUALIFIERS]
                chunks.append(pa.StructArray.from_arrays(children, fields=list(QUALIFIERS), mask=chunk.is_null()))
            columns.append(pa.chunked_array(chunks, QUALIFIERS))
        else:
            columns.append(table.column(spec.name))
    return pa.Table.from_arrays(columns, schema=SCHEMA)


def certify(raws: list[bytes] | BlockLines, shared: dict[Any, Any], seen: SeenFields | None = None) -> Certified:
    """Read the lines `raws` (no line breaks) as claims, as far as this reader can vouch for them. `seen`: the
    fields of the file's blocks before, if any."""
    block = raws.block if isinstance(raws, BlockLines) else b"\n".join(raws)
    scan = candidates(raws, block)
    whole = len(scan.lines) == len(raws)
    table = _read(block, scan.lines, seen.options()) if seen is not None and whole else None
    if table is not None:
        table, rows_of = _widened(table), scan.lines
    else:
        table, rows_of = parse(raws, scan.lines, block if whole else None)
        if seen is not None and table is not None:
            seen.saw(table)
    valid = [False] * len(raws)
    if table is None or not table.num_rows:
        return Certified(valid, {path: [] for path in ROW_FIELDS})
    encoded = _encoded(table)
    mask = pc.and_(_checks(table, encoded), without_null(raws, block, scan, table, rows_of))
    del block
    dates = _said_on(table["said_on"].combine_chunks(), shared)
    mask = pc.and_(mask, pc.is_valid(dates.codes)) if dates.refused else mask
    table, codes = table.select(_KEPT), dates.codes  # the quotes, notes and encoded texts are not copied
    if not pc.all(mask).as_py():  # (most blocks: every row passes, and nothing is copied)
        table, codes = table.filter(mask), codes.filter(mask)
        encoded = {name: texts.filter(mask) for name, texts in encoded.items()}
        rows_of = list(compress(rows_of, mask.to_pylist()))
    for line in rows_of:
        valid[line] = True
    columns = _columns(table, dates.values, encoded, codes)
    del table, mask, encoded
    pa.default_memory_pool().release_unused()  # the pool would keep the block's buffers for a next one
    return Certified(valid, columns)


@dataclass
class Scan:
    """What one look at a block's bytes found: the lines worth giving to arrow, and the block's colons."""

    lines: list[int]
    colons: int


def candidates(raws: list[bytes] | BlockLines, block: bytes, shapes: tuple[bytes, ...] = ()) -> Scan:
    """Lines worth giving to arrow: not blank, short enough that no value can be over the limit, and
    free of the refused bytes (and of `shapes`). `block`: the lines joined by line breaks."""
    lengths = raws.lengths() if isinstance(raws, BlockLines) else np.array(list(map(len, raws)), np.int64)
    ascii = block.isascii()
    unprinted = block.translate(None, _PLAIN)  # control characters, backslashes and colons: one scan for all
    backslashes, colons = unprinted.count(b"\\"), unprinted.count(b":")
    escapes = _ESCAPES if _holds_escape(block, backslashes) else ()
    needles = (*escapes, *((b"\r",) if b"\r" in unprinted else ()), *shapes)
    refused = _lines_holding(block, partial(_ends, raws), needles if ascii else (*needles, _BOM))
    if len(unprinted) - backslashes - colons > len(raws) - 1:  # control characters besides the breaks
        refused |= {i for i, raw in enumerate(raws) if _controls(raw)}
    if not ascii and not _valid_utf8(block):
        refused |= {i for i, raw in enumerate(raws) if not _utf8(raw)}
    if len(lengths) and lengths.max() > MAX_SCALAR_CHARS:
        refused.update(np.flatnonzero(lengths > MAX_SCALAR_CHARS).tolist())
    if not lengths.all():  # empty lines: nothing to read (a line of blanks: arrow's row count tells)
        refused.update(np.flatnonzero(lengths == 0).tolist())
    if not refused:
        return Scan(list(range(len(raws))), colons)
    return Scan([i for i in range(len(raws)) if i not in refused], colons)


_PLAIN = bytes(range(32, 256)).replace(b"\\", b"").replace(b":", b"")  # all but controls, backslash and colon


def _controls(raw: bytes) -> int:
    """How many control characters `raw` holds."""
    unprinted = raw.translate(None, _PLAIN)
    return len(unprinted) - unprinted.count(b"\\") - unprinted.count(b":")


def without_null(raws: list[bytes] | BlockLines, block: bytes, scan: Scan, table: pa.Table, rows_of: list[int]) -> Any:
    """Per row of `table` (arrow's of lines `rows_of`), whether its line is free of the word null (arrow reads
    `"polarity": null` as absent, pydantic refuses it). Every key is followed by one colon outside texts, so
    when every line was read and the block holds as many colons as arrow read values, no key's value is null
    (and no text holds a colon): the block is not searched for the word then."""
    if len(rows_of) == len(raws) and scan.colons == _values(table):
        return pa.scalar(True)
    held = _lines_holding(block, partial(_ends, raws), (b"null",))
    return pa.array([line not in held for line in rows_of]) if held else pa.scalar(True)


def _values(table: pa.Table) -> int:
    """How many values the rows of `table` were given, at the top and in mappings (null ones not counted)."""
    values = 0
    for column in table.columns:
        values += len(column) - column.null_count
        if pa.types.is_struct(column.type):
            for i in range(column.type.num_fields):
                field = pc.struct_field(column, [i])
                values += len(field) - field.null_count
    return values


_FEW = 10_000  # backslashes: up to this many, each is looked at (a search for '\u' costs 3 of memchr's)


def _holds_escape(block: bytes, backslashes: int) -> bool:
    """Whether `b"\\u" in block`, found from the block's backslashes (`backslashes` of them) where they are
    few (JSON lines hold few: a search for each is cheaper than one for the pair)."""
    if backslashes > _FEW:
        return b"\\u" in block
    at = block.find(b"\\")
    while at >= 0:
        if block[at + 1 : at + 2] == b"u":
            return True
        at = block.find(b"\\", at + 1)
    return False


def _valid_utf8(block: bytes) -> bool:
    """Whether a block is valid UTF-8, as Python's strict decoding has it (surrogates, overlong and cut
    sequences refused), checked by arrow in C: 8x faster than decoding it, and no text is made."""
    try:
        pa.array([block], pa.binary()).cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowCapacityError):
        return False
    return True


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode()
    except UnicodeDecodeError:
        return False
    return True


def _ends(raws: list[bytes] | BlockLines) -> list[int]:
    """Where each line ends (exclusive, with its break): line i at ends[i]."""
    if isinstance(raws, BlockLines):
        return raws.starts[1:].tolist()  # type: ignore[no-any-return]
    return list(accumulate(map(add, map(len, raws), repeat(1))))


def _lines_holding(block: bytes, ends_of: Callable[[], list[int]], needles: tuple[bytes, ...]) -> set[int]:
    """The indices of lines holding one of `needles` (each found with C-speed scans of the block).
    `ends_of`: the lines' ends (`_ends`), asked for only when a needle is found."""
    from bisect import bisect_right

    found: set[int] = set()
    ends: list[int] = []
    for needle in needles:
        at = block.find(needle)
        if at >= 0 and not ends:
            ends = ends_of()
        while at >= 0:
            line = bisect_right(ends, at)
            found.add(line)
            at = block.find(needle, ends[line] if line < len(ends) else len(block))
    return found


def parse(
    raws: list[bytes] | BlockLines,
    lines: list[int],
    whole: bytes | None,
    options: pj.ParseOptions = _PARSE,
    shapes: tuple[bytes, ...] = _OTHER_SHAPES,
) -> tuple[pa.Table | None, list[int]]:
    """Arrow's table of the lines it reads (with `options`: claims by default), and the line index of each
    row. A group of lines arrow refuses is looked at again without the lines holding `shapes` (outside the
    schema), then halved, down to groups of _SMALLEST. `whole`: all the lines joined, when `lines` are all
    of them."""
    tables: list[pa.Table] = []
    rows_of: list[int] = []
    pending = [(lines, True)]
    while pending:
        group, first_try = pending.pop()
        if not group:
            continue
        table = _read(whole if whole is not None and len(group) == len(raws) else raws, group, options)
        if table is not None:
            tables.append(table)
            rows_of.extend(group)
            continue
        if first_try:
            odd = (*shapes, b"null")  # (a line of null alone, or a list of them, fails the whole block)
            if whole is not None and len(group) == len(raws):  # the block itself, not joined again
                other = _lines_holding(whole, partial(_ends, raws), odd)
            else:
                chosen = list(map(raws.__getitem__, group))
                other = _lines_holding(b"\n".join(chosen), partial(_ends, chosen), odd)
            if other:
                pending.append(([line for k, line in enumerate(group) if k not in other], True))
                continue
        if len(group) > _SMALLEST:
            half = len(group) // 2
            pending += [(group[half:], False), (group[:half], False)]  # first half on top: line order kept
    if not tables:
        return None, []
    return pa.concat_tables(tables), rows_of


def _read(
    raws: list[bytes] | BlockLines | bytes, group: Sequence[int], options: pj.ParseOptions = _PARSE
) -> pa.Table | None:
    data = raws if isinstance(raws, bytes) else b"\n".join(map(raws.__getitem__, group))
    try:
        table = pj.read_json(
            pa.BufferReader(data), parse_options=options, read_options=_options(len(data)), memory_pool=_POOL
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError, ValueError):
        return None
    return table if table.num_rows == len(group) else None  # one row per line, or the lines are not plain


def _options(size: int) -> pj.ReadOptions:
    # blocks of a few MB: arrow parses them on all cores
    return pj.ReadOptions(block_size=max(1 << 20, min(size // 2 + 1, 8 << 20)))


_ENCODED = ("speaker", "source", "subject", "object", "predicate")  # and the place: texts that repeat
# the columns `_columns` reads from the table itself (the others: from `_encoded` and `_said_on`)
_KEPT = ("id", "quote_kind", "polarity", "status", "topics", "qualifiers")


def _encoded(table: pa.Table) -> dict[str, pa.DictionaryArray]:
    """The columns of texts that repeat, dictionary-encoded once: checked once per distinct text, then kept
    as the claim table's codes."""
    encoded = {name: pc.dictionary_encode(table.column(name).combine_chunks()) for name in _ENCODED}
    encoded["place"] = pc.dictionary_encode(pc.struct_field(table.column("qualifiers").combine_chunks(), "place"))
    return encoded


def _checks(table: pa.Table, encoded: dict[str, pa.DictionaryArray]) -> pa.ChunkedArray:
    """Per row, whether pydantic would accept every value read (but `said_on`, checked by its values).
    `encoded`: some of its columns dictionary-encoded (`_encoded`)."""
    column = table.column
    mask = pc.and_(pc.is_valid(column(_REQUIRED[0])), pc.is_valid(column(_REQUIRED[1])))
    for name in _REQUIRED[2:]:
        mask = pc.and_(mask, pc.is_valid(column(name)))
    qualifiers = column("qualifiers")

    def field(name: str) -> Any:
        return pc.struct_field(qualifiers, name)

    mask = pc.and_(mask, matches(column("id"), ID_PATTERN))
    for name in ("speaker", "source", "subject"):
        mask = pc.and_(mask, matches(encoded[name], ID_PATTERN))
    mask = pc.and_(mask, _optional(matches(encoded["object"], ID_PATTERN)))
    mask = pc.and_(mask, _optional(matches(encoded["place"], ID_PATTERN)))
    mask = pc.and_(mask, matches(encoded["predicate"], TERM_PATTERN))
    mask = pc.and_(mask, pc.greater(pc.utf8_length(column("quote")), 0))
    mask = pc.and_(mask, pc.is_in(column("quote_kind"), value_set=pa.array([k.value for k in QuoteKind])))
    for name, choices in (("polarity", Polarity), ("status", Status)):
        given = column(name)  # absent is the default; is_in says false for it
        mask = pc.and_(mask, pc.or_(pc.is_null(given), pc.is_in(given, value_set=pa.array([c.value for c in choices]))))
    count = field("count")
    mask = pc.and_(mask, _optional(pc.and_(pc.greater_equal(count, 0), pc.less_equal(count, MAX_COUNT))))
    for texts in (column("topics"), field("means"), field("parties")):
        mask = pc.and_(mask, no_null_items(texts))
    return pc.fill_null(mask, False)


def matches(texts: Any, pattern: str) -> Any:
    if isinstance(texts, pa.DictionaryArray):  # each distinct text matched once (null stays null)
        return pc.take(pc.match_substring_regex(texts.dictionary, pattern), texts.indices)
    return pc.match_substring_regex(texts, pattern)


def _optional(passed: Any) -> Any:
    """An absent value passes."""
    return pc.fill_null(passed, True)


def no_null_items(lists: Any) -> Any:
    """Per row, whether its list holds no null (a list of texts refuses one)."""
    lists = lists.combine_chunks() if isinstance(lists, pa.ChunkedArray) else lists
    if not lists.values.null_count:  # no null among all the items held (the usual case): every row passes
        return pa.scalar(True)
    flat = pc.list_flatten(lists)
    ok = [True] * len(lists)
    if flat.null_count:
        parents = pc.list_parent_indices(lists).filter(pc.is_null(flat)).to_pylist()
        for parent in parents:
            ok[parent] = False
    return pa.array(ok)


@dataclass
class _Dates:
    values: list[Any]  # the FuzzyDate of each distinct text
    codes: pa.Array  # per row, its date's index in `values` (null: not a date)
    refused: bool


def _said_on(texts: pa.Array, shared: dict[Any, Any]) -> _Dates:
    """`said_on` validated once per distinct text (corpora repeat a few hundred dates)."""
    encoded = pc.dictionary_encode(texts)
    values: list[Any] = []
    refused = False
    for text in encoded.dictionary.to_pylist():
        try:
            values.append(shared_date(shared, FuzzyDate.model_validate(text)))
        except ValueError:
            values.append(None)
            refused = True
    codes = encoded.indices
    if refused:
        bad = pa.array([i for i, v in enumerate(values) if v is None], codes.type)
        codes = pc.if_else(pc.is_in(codes, value_set=bad), pa.scalar(None, codes.type), codes)
    return _Dates(values, codes, refused)


def _columns(
    table: pa.Table, dates: list[Any], encoded: dict[str, pa.DictionaryArray], codes: pa.Array
) -> dict[str, Any]:
    """The table columns of the rows of `table` (ROW_FIELDS paths), values as `row_of` gives them: texts,
    dates and lists as their dictionary codes (Coded), the claim table's own form of them. `encoded`: its
    columns `_encoded` dictionary-encoded."""
    size = table.num_rows
    column = table.column
    qualifiers = column("qualifiers")

    def field(name: str) -> Any:
        return pc.struct_field(qualifiers, name)

    nothing: list[Any] = [None] * size
    count = nothing if field("count").null_count == size else field("count").to_pylist()
    exact = pc.if_else(pc.is_null(field("count")), pa.scalar(None, _TEXT), "exact")
    approx = _none(size) if count is nothing else _texts(exact)
    no_lists = Coded(np.zeros(size, np.int32), [None], lists=True)
    said_on = Coded(_codes(codes), dates)
    polarity = pc.fill_null(column("polarity"), Polarity.affirmed.value)
    status = pc.fill_null(column("status"), Status.done.value)
    values: dict[str, Callable[[], Any]] = {
        "id": lambda: column("id").to_pylist(),
        "speaker": lambda: _texts(encoded["speaker"]),
        "source": lambda: _texts(encoded["source"]),
        "said_on": lambda: said_on,
        "when": lambda: nothing,
        "quote_kind": lambda: _texts(column("quote_kind")),
        "attribution.via": lambda: no_lists,
        "attribution.paraphrases": lambda: _none(size),
        "attribution.translated.from": lambda: _none(size),
        "attribution.translated.by": lambda: _none(size),
        "subject": lambda: _texts(encoded["subject"]),
        "predicate": lambda: _texts(encoded["predicate"]),
        "object": lambda: _texts(encoded["object"]),
        "value": lambda: nothing,
        "polarity": lambda: _texts(polarity),
        "status": lambda: _texts(status),
        "topics": lambda: _lists(column("topics")),
        "qualifiers.count": lambda: count,
        "qualifiers.count.approx": lambda: approx,
        "qualifiers.count.unit": lambda: _none(size),
        "qualifiers.count.per": lambda: _none(size),
        "qualifiers.place": lambda: _texts(encoded["place"]),
        "qualifiers.means": lambda: _lists(field("means")),
        "qualifiers.condition": lambda: _texts(field("condition")),
        "qualifiers.purpose": lambda: _texts(field("purpose")),
        "qualifiers.frequency": lambda: _texts(field("frequency")),
        "qualifiers.scope": lambda: _texts(field("scope")),
        "qualifiers.modality": lambda: _texts(field("modality")),
        "qualifiers.parties": lambda: _lists(field("parties")),
    }
    return {path: values[path]() for path in ROW_FIELDS}  # (lists shared between paths: never changed in place)


def _none(size: int) -> Coded:
    return Coded(np.zeros(size, np.int32), [None])


def _texts(texts: Any) -> Coded:
    """A text column as codes into its distinct texts (None when absent)."""
    texts = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    if texts.null_count == len(texts):  # most qualifiers
        return _none(len(texts))
    encoded = texts if isinstance(texts, pa.DictionaryArray) else pc.dictionary_encode(texts)
    return Coded(_codes(pc.fill_null(encoded.indices, len(encoded.dictionary))), dictionary=encoded.dictionary)


def _lists(lists: Any) -> Coded:
    """A list-of-texts column as codes into its distinct lists, given by their `list_key`s (an absent list is
    the empty one)."""
    lists = lists.combine_chunks() if isinstance(lists, pa.ChunkedArray) else lists
    lengths = pc.fill_null(pc.list_value_length(lists), 0)
    if not pc.max(lengths).as_py():  # most qualifiers
        return Coded(np.zeros(len(lists), np.int32), [None], lists=True)
    # a list's key: its items joined by a byte no plain line holds (the empty list's: None), grouped in C
    joined = pc.if_else(pc.equal(lengths, 0), pa.scalar(None, pa.string()), pc.binary_join(lists, LIST_SEPARATOR))
    encoded = pc.dictionary_encode(joined)
    codes = _codes(pc.fill_null(encoded.indices, len(encoded.dictionary)))
    return Coded(codes, lists=True, dictionary=encoded.dictionary)


def _codes(values: pa.Array | pa.ChunkedArray) -> Any:
    """An arrow array of 32-bit integers without nulls as a numpy array."""
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    assert values.type == pa.int32() and not values.null_count
    return values.to_numpy(zero_copy_only=False)
