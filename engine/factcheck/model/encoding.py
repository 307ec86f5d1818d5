"""Model data as bytes that nothing can execute: named parts of JSON text and integer arrays.

The run cache keeps a run between runs, as data in these forms only; reading them back builds lists, texts, numbers and
(validated) models, never objects of a type the bytes name, as pickle would.

A framed message is a JSON header line `[[name, length], ...]` followed by the parts' bytes in order.
"""

from __future__ import annotations

import json
from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from itertools import accumulate, chain, compress, count, repeat
from operator import is_not
from typing import Any

from factcheck.model.dates import EventTime, FuzzyDate
from factcheck.model.fields import FIELDS, FieldType

CODES = "I"  # array type of dictionary codes: 4 bytes, enough for any number of distinct values we hold


class EncodingError(ValueError):
    """Bytes that are not what the writer of this version makes: the reader falls back to doing the work."""


def pack_parts(parts: dict[str, bytes | memoryview]) -> bytes:
    return b"".join(framed(parts))


def framed(parts: dict[str, bytes | memoryview]) -> list[bytes | memoryview]:
    """The pieces `pack_parts` joins, in order: written one by one, the parts are never copied into one."""
    header = json.dumps([[name, len(data)] for name, data in parts.items()]).encode() + b"\n"
    return [header, *parts.values()]


def unpack_parts(data: bytes | memoryview) -> dict[str, memoryview]:
    view = memoryview(data)
    end = bytes(view[: 1 << 20]).find(b"\n")
    if end < 0:
        raise EncodingError("no header")
    try:
        header = json.loads(bytes(view[:end]))
    except ValueError as exc:
        raise EncodingError("unreadable header") from exc
    parts: dict[str, memoryview] = {}
    at = end + 1
    if not isinstance(header, list):
        raise EncodingError("unreadable header")
    for entry in header:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str) and type(entry[1]) is int):
            raise EncodingError("unreadable header")
        name, length = entry
        if length < 0 or at + length > len(view):
            raise EncodingError(f"part {name} is cut short")
        parts[name] = view[at : at + length]
        at += length
    if at != len(view):
        raise EncodingError("bytes after the last part")
    return parts


def to_json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def from_json(data: bytes | memoryview) -> Any:
    try:
        return json.loads(bytes(data))
    except (ValueError, RecursionError) as exc:
        raise EncodingError("unreadable JSON part") from exc


def part_named(parts: Parts, name: str) -> memoryview:
    try:
        return memoryview(parts[name])
    except KeyError:
        raise EncodingError(f"no part {name}") from None


# Claim columns (model/claim_table.py). Texts and lists repeat a lot: they are written once each with an
# array of codes, which also reads back fast (one C-level map per column). Dates are the table's shared
# objects, found by identity, as are lists. Ids are distinct and never hold a line break (ID_PATTERN).
# A column mostly empty (None, or [] for lists: most qualifiers) keeps only its filled positions.


def encode_columns(columns: Mapping[str, Sequence[Any]]) -> dict[str, bytes | memoryview]:
    parts: dict[str, bytes | memoryview] = {}
    for path, column in columns.items():
        kind = _kind(path)
        if kind in ("text", "dates", "lists") and hasattr(column, "numpy"):  # the claim table's CodedList
            parts.update(_encode_coded(path, kind, column))
            continue
        column = column if isinstance(column, list) else list(column)
        encoded = _encode_arrow(path, kind, column) if kind != "plain" and len(column) >= ARROW_MIN else None
        parts.update(_encode_column(path, kind, column) if encoded is None else encoded)
    return parts


ARROW_MIN = 4096  # columns this long are encoded by pyarrow, in C; a shorter one is not worth importing it


def _encode_column(path: str, kind: str, column: list[Any]) -> dict[str, bytes | memoryview]:
    """One column's parts, value by value in Python (`_encode_arrow` writes the same parts in C)."""
    if kind == "lines":
        text = "\n".join(column)
        # where each line ends (past its line break): a line is read, or an id found, without splitting all
        lengths = map(len, column) if text.isascii() else (len(v.encode()) for v in column)
        data = text.encode()
        return {f"{path}:values": data, f"{path}:ends": pack_ints(accumulate(map((1).__add__, lengths)), len(data) + 2)}
    parts: dict[str, bytes | memoryview] = {}
    filled = list(map(bool, column)) if kind == "lists" else list(map(is_not, column, repeat(None)))
    if filled.count(True) * 2 < len(column):
        where = array(CODES, compress(range(len(column)), filled))
        parts[f"{path}:where"] = where.tobytes()
        column = list(map(column.__getitem__, where))
    parts.update(_encode_values(path, kind, column))
    return parts


def _encode_arrow(path: str, kind: str, column: list[Any]) -> dict[str, bytes | memoryview] | None:
    """`_encode_column`'s parts made without a Python step per value: the column's texts (or, for values shared
    by identity, their ids) dictionary-encoded by pyarrow. None when arrow cannot hold the values (a text
    that is not UTF-8): the caller encodes them in Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pool = pa.system_memory_pool()  # freed to the system at once: arrow's default pool keeps what it had
    size = len(column)
    try:
        if kind == "lines":
            texts = pa.array(column, pa.large_string(), memory_pool=pool)
            if texts.null_count:
                return None
            data = "\n".join(column).encode()
            lengths = pc.add(pc.binary_length(texts, memory_pool=pool), 1, memory_pool=pool)
            ends = pc.cumulative_sum(lengths, memory_pool=pool)
            return {f"{path}:values": data, f"{path}:ends": _packed(ends, len(data) + 2)}
        if kind == "text":
            keys = pa.array(column, pa.large_string(), memory_pool=pool)
        else:  # lists and dates: one object per distinct value already
            ids = array("Q", map(id, column))
            keys = pa.Array.from_buffers(pa.uint64(), size, [None, pa.py_buffer(ids)])
    except (pa.ArrowException, UnicodeError):
        return None
    encoded = pc.dictionary_encode(keys, null_encoding="encode", memory_pool=pool)
    codes = encoded.indices
    if kind == "text":
        distinct: list[Any] = encoded.dictionary.to_pylist()
    else:
        # codes are given in order of first occurrence: each value's first position is where their maximum grows
        most = pc.cumulative_max(codes, memory_pool=pool)
        grows = pc.indices_nonzero(pc.not_equal(most[1:], most[:-1], memory_pool=pool), memory_pool=pool)
        distinct = [column[0], *map(column.__getitem__, map((1).__add__, grows.to_pylist()))] if size else []
    del keys, encoded
    parts: dict[str, bytes | memoryview] = {}
    filled_codes = [bool(v) if kind == "lists" else v is not None for v in distinct]
    if filled_codes.count(True) < len(filled_codes):
        filled = pc.take(pa.array(filled_codes, pa.bool_()), codes, memory_pool=pool)
        if (pc.sum(filled).as_py() or 0) * 2 < size:
            where = pc.indices_nonzero(filled, memory_pool=pool).cast(pa.uint32())
            parts[f"{path}:where"] = _raw(where, array(CODES).itemsize)
            encoded = pc.dictionary_encode(pc.filter(codes, filled, memory_pool=pool), memory_pool=pool)
            codes = encoded.indices
            distinct = list(map(distinct.__getitem__, encoded.dictionary.to_pylist()))
    parts.update(_encode_distinct(path, kind, distinct, _packed(codes, len(distinct))))
    return parts


def _encode_coded(path: str, kind: str, column: Any) -> dict[str, bytes | memoryview]:
    """`_encode_column`'s parts of a column held as codes (model/claim_table.py, CodedList): its codes are
    written as they are, but for values it no longer holds, and absent values when most are."""
    import numpy as np

    codes, distinct = column.numpy(), column.distinct
    codes, distinct = _held(codes, distinct)
    parts: dict[str, bytes | memoryview] = {}
    filled_codes = [bool(v) if kind == "lists" else v is not None for v in distinct]
    if filled_codes.count(True) < len(filled_codes):
        filled = np.array(filled_codes, np.bool_)[codes]
        if int(filled.sum()) * 2 < len(codes):
            parts[f"{path}:where"] = np.flatnonzero(filled).astype(np.uint32).tobytes()
            codes, distinct = _held(codes[filled], distinct)
    kind_code = "B" if len(distinct) <= 1 << 8 else "H" if len(distinct) <= 1 << 16 else CODES
    packed = kind_code.encode() + codes.astype({"B": np.uint8, "H": np.uint16, "I": np.uint32}[kind_code]).tobytes()
    parts.update(_encode_distinct(path, kind, distinct, packed))
    return parts


def _held(codes: Any, distinct: list[Any]) -> tuple[Any, list[Any]]:
    """Codes renumbered, and their values, keeping only the values some code names."""
    import numpy as np

    held = np.flatnonzero(np.bincount(codes, minlength=len(distinct)))
    if len(held) == len(distinct):
        return codes, distinct
    renumbered = np.zeros(len(distinct), np.int64)
    renumbered[held] = np.arange(len(held))
    return renumbered[codes], list(map(distinct.__getitem__, held.tolist()))


def _packed(values: Any, distinct: int) -> bytes:
    """`pack_ints` of an arrow array of integers (each below `distinct`)."""
    import pyarrow as pa

    kind = "B" if distinct <= 1 << 8 else "H" if distinct <= 1 << 16 else CODES
    width = array(kind).itemsize
    return kind.encode() + _raw(values.cast({1: pa.uint8(), 2: pa.uint16(), 4: pa.uint32()}[width]), width)


def _raw(values: Any, width: int) -> bytes:
    """The bytes of an arrow array of fixed-width integers without nulls, as `array.tobytes` writes them."""
    start = values.offset * width
    return bytes(memoryview(values.buffers()[1])[start : start + len(values) * width])


def _encode_values(path: str, kind: str, column: list[Any]) -> dict[str, bytes | memoryview]:
    if kind == "plain":
        return {f"{path}:values": to_json(column)}
    if kind == "text":
        distinct: Any = dict.fromkeys(column)
        index = dict(zip(distinct, count()))
        codes = pack_ints(map(index.__getitem__, column), len(index))
    else:  # lists and dates: one object per distinct value already
        by_id = dict(zip(map(id, column), column, strict=True))
        codes = pack_ints(map(dict(zip(by_id, count())).__getitem__, map(id, column)), len(by_id))
        distinct = by_id.values()
    return _encode_distinct(path, kind, list(distinct), codes)


def _encode_distinct(path: str, kind: str, distinct: list[Any], codes: bytes) -> dict[str, bytes | memoryview]:
    """The parts of a column given as its distinct values and (`pack_ints`) the code of each value."""
    if kind in ("dates", "times"):
        distinct = [None if d is None else d.model_dump(mode="json") for d in distinct]
    parts: dict[str, bytes | memoryview] = {f"{path}:values": to_json(distinct), f"{path}:codes": codes}
    if kind == "lists":  # the distinct lists' items as codes of distinct texts: which lists hold a text, in C
        items = list(chain.from_iterable(distinct))
        texts: dict[str, int] = dict(zip(dict.fromkeys(items), count()))
        parts[f"{path}:texts"] = to_json(list(texts))
        parts[f"{path}:items"] = pack_ints(map(texts.__getitem__, items), len(texts))
        owners = chain.from_iterable(map(repeat, count(), map(len, distinct)))
        parts[f"{path}:owners"] = pack_ints(owners, len(distinct))
    return parts


def pack_ints(codes: Iterable[int], distinct: int) -> bytes:
    """An array of codes (each below `distinct`) in the smallest type that holds them, its type code first."""
    kind = "B" if distinct <= 1 << 8 else "H" if distinct <= 1 << 16 else CODES
    return kind.encode() + array(kind, codes).tobytes()


Parts = Mapping[str, bytes | memoryview]


def decode_columns(
    parts: Parts, paths: Iterable[str], size: int, share_date: Callable[[Any], Any] = lambda d: d
) -> dict[str, list[Any]]:
    """The columns `encode_columns` wrote, each checked to hold `size` values of its field's kind;
    `share_date` gives the one object to keep for each date read."""
    columns: dict[str, list[Any]] = {}
    for path in paths:
        kind = _kind(path)
        values = part_named(parts, f"{path}:values")
        if kind == "lines":
            text = bytes(values).decode(errors="strict") if size else ""
            columns[path] = text.split("\n") if size else []
            if len(columns[path]) != size:
                raise EncodingError(f"{path}: {size} values expected")
            continue
        where = None
        if f"{path}:where" in parts:
            where = array(CODES)
            where.frombytes(parts[f"{path}:where"])
        column = _decode_values(path, kind, values, parts, share_date)
        if where is not None:
            if len(where) != len(column) or (where and max(where) >= size):
                raise EncodingError(f"{path}: filled positions do not match the values")
            filled, column = column, [[] if kind == "lists" else None] * size
            deque(map(column.__setitem__, where, filled), maxlen=0)
        if len(column) != size:
            raise EncodingError(f"{path}: {size} values expected")
        columns[path] = column
    return columns


def _decode_values(
    path: str, kind: str, values: memoryview, parts: Parts, share_date: Callable[[Any], Any]
) -> list[Any]:
    if kind == "plain":
        column = from_json(values)
        if not isinstance(column, list):
            raise EncodingError(f"{path}: not a list")
        return column
    distinct = _checked_distinct(kind, from_json(values))
    if kind == "dates":
        distinct = [None if d is None else share_date(d) for d in distinct]
    raw = part_named(parts, f"{path}:codes")
    if not raw or chr(raw[0]) not in "BHI":
        raise EncodingError(f"{path}: unreadable codes")
    codes = array(chr(raw[0]))
    try:
        codes.frombytes(raw[1:])
        return list(map(distinct.__getitem__, codes))
    except (IndexError, ValueError):
        raise EncodingError(f"{path}: a code past the values") from None


Accept = Callable[[str], bool] | AbstractSet[str]  # the texts wanted: a test, or the texts themselves


class KeptColumn:
    """One column of `size` claims as `encode_columns` wrote it, read only as far as asked: one value, the
    positions holding some values, or (`values`) the whole column, decoded once. A re-run after a few
    appended claims asks for a few values of a few columns of a million claims. The bytes are sealed
    (run_cache.py), so they are this version's own; what is decoded is still checked as it is decoded."""

    def __init__(self, parts: Parts, path: str, size: int, share_date: Callable[[Any], Any]) -> None:
        self.path, self.kind, self.size = path, _kind(path), size
        self._parts, self._share_date = parts, share_date
        self._full: list[Any] | None = None
        self._distinct: list[Any] | None = None
        self._codes: array[int] | None = None
        self._where: array[int] | None = None
        self._lines: bytes | None = None
        self._ends: array[int] | None = None
        self._lists: dict[int, list[str]] = {}
        self._items: tuple[list[str], array[int], array[int]] | None = None
        self._raw_codes: bytes | None = None
        self._item_bytes: bytes | None = None
        self._codes_of: dict[Any, int] | None = None
        self._plain: list[Any] | None = None
        part_named(parts, f"{path}:values")
        if self.kind == "lines":
            self._ends = unpack_ints(part_named(parts, f"{path}:ends"))
            if len(self._ends) != size:
                raise EncodingError(f"{path}: {size} values expected")
        elif self.kind != "plain":
            part_named(parts, f"{path}:codes")
        if f"{path}:where" in parts:
            self._where = array(CODES)
            self._where.frombytes(parts[f"{path}:where"])

    def values(self) -> list[Any]:
        """The whole column (the same list on every call)."""
        if self._full is None:
            self._full = decode_columns(self._parts, [self.path], self.size, self._share_date)[self.path]
        return self._full

    def __getitem__(self, position: int) -> Any:
        if self._full is not None:
            return self._full[position]
        if not 0 <= position < self.size:
            raise IndexError(position)
        if self.kind == "lines":
            return self.line(position)
        at = position
        if self._where is not None:
            at = bisect_left(self._where, position)
            if at == len(self._where) or self._where[at] != position:
                return [] if self.kind == "lists" else None
        return self._filled(at)

    def values_at(self, positions: list[int]) -> list[Any]:
        """`self[p]` for each of `positions` (all within the column)."""
        if self._full is not None:
            return list(map(self._full.__getitem__, positions))
        if self.kind == "lines":
            return list(map(self.line, positions))
        where = self._where
        if where is None:
            return list(map(self._filled, positions))
        empty: list[str] | None = [] if self.kind == "lists" else None  # one shared empty list, as decoded
        ats = map(bisect_left, repeat(where), positions)
        return [
            self._filled(at) if at < len(where) and where[at] == p else empty
            for at, p in zip(ats, positions, strict=False)  # (ats: one per position)
        ]

    def _filled(self, at: int) -> Any:
        """The value of the `at`-th filled position (every position when nothing is left out)."""
        if self.kind == "plain":
            if self._plain is None:
                plain = from_json(part_named(self._parts, f"{self.path}:values"))
                if not isinstance(plain, list):
                    raise EncodingError(f"{self.path}: not a list")
                self._plain = plain
            return self._plain[at]
        code = self._code_array()[at]
        if self.kind == "lists" and self._distinct is None and f"{self.path}:items" in self._parts:
            return self._list(code)
        return self._distinct_values()[code]

    def line(self, position: int) -> str:
        """A claim's id, cut from the kept text of them all."""
        assert self._ends is not None
        start = self._ends[position - 1] if position else 0
        return bytes(part_named(self._parts, f"{self.path}:values")[start : self._ends[position] - 1]).decode()

    def find_line(self, text: str) -> int | None:
        """The position whose id is `text` (one search in C through the kept ids), None when none is."""
        if self._lines is None:
            self._lines = b"\n" + bytes(part_named(self._parts, f"{self.path}:values")) + b"\n"
        found = self._lines.find(b"\n" + text.encode() + b"\n")
        if found < 0:
            return None
        assert self._ends is not None
        position = bisect_left(self._ends, found + len(text.encode()) + 1)
        return position if position < self.size and self.line(position) == text else None

    def holding(self, accept: Accept) -> list[int] | None:
        """The positions whose text (for a list, one of its texts) `accept` takes, found by looking at each
        distinct text once and scanning the codes in C; None for a column of another kind."""
        wanted = self.accepted(accept)
        if wanted is None:
            return None
        codes = self._code_array()
        if codes.typecode == "B":
            found = list(compress(range(len(codes)), bytes(codes).translate(bytes(c in wanted for c in range(256)))))
        elif len(wanted) <= FIND_CODES:
            found = sorted(chain.from_iterable(_found(self._code_bytes(), codes.typecode, c) for c in wanted))
        else:
            found = list(compress(range(len(codes)), map(wanted.__contains__, codes)))
        return found if self._where is None else list(map(self._where.__getitem__, found))

    def keep(self, positions: Iterable[int], accept: Accept) -> list[int] | None:
        """Those of `positions` whose text (for a list, one of its texts) `accept` takes, in order; None for
        a column of another kind."""
        wanted = self.accepted(accept)
        if wanted is None:
            return None
        codes, where = self._code_array(), self._where
        if where is None:
            return [p for p in positions if codes[p] in wanted]
        kept = []
        for p in positions:
            at = bisect_left(where, p)
            if at < len(where) and where[at] == p and codes[at] in wanted:
                kept.append(p)
        return kept

    def accepted(self, accept: Accept) -> set[int] | None:
        """The codes of the values `accept` takes (for a list column, of the lists holding a text it takes),
        each distinct text looked at once, or for a set of texts, each of them looked up; None for a column of
        another kind."""
        if self._full is not None or self.kind not in ("text", "lists"):
            return None
        if self.kind == "text":
            if isinstance(accept, AbstractSet):
                return {c for c in map(self._text_codes(self._distinct_values()).get, accept) if c is not None}
            return {c for c, v in enumerate(self._distinct_values()) if v is not None and accept(v)}
        if f"{self.path}:items" not in self._parts:
            return None
        texts, items, owners = self._csr()
        if isinstance(accept, AbstractSet):
            taken = sorted(c for c in map(self._text_codes(texts).get, accept) if c is not None)
        else:
            taken = [c for c, text in enumerate(texts) if accept(text)]
        if len(taken) <= FIND_CODES:
            raw = self._item_bytes if self._item_bytes is not None else items.tobytes()
            self._item_bytes = raw
            return {owners[i] for c in taken for i in _found(raw, items.typecode, c)}
        return set(compress(owners, map(set(taken).__contains__, items)))

    def _text_codes(self, texts: list[Any]) -> dict[Any, int]:
        """Per distinct text, its code (made once)."""
        if self._codes_of is None:
            self._codes_of = dict(zip(texts, count()))
        return self._codes_of

    def _code_bytes(self) -> bytes:
        if self._raw_codes is None:
            self._raw_codes = self._code_array().tobytes()
        return self._raw_codes

    def _code_array(self) -> array[int]:
        if self._codes is None:
            self._codes = unpack_ints(part_named(self._parts, f"{self.path}:codes"))
            if len(self._codes) != (self.size if self._where is None else len(self._where)):
                raise EncodingError(f"{self.path}: codes do not match the claims")
        return self._codes

    def _distinct_values(self) -> list[Any]:
        if self._distinct is None:
            distinct = _checked_distinct(self.kind, from_json(part_named(self._parts, f"{self.path}:values")))
            if self.kind == "dates":
                distinct = [None if d is None else self._share_date(d) for d in distinct]
            self._distinct = distinct
        return self._distinct

    def _list(self, code: int) -> list[str]:
        """A distinct list from the items' codes, without reading every distinct list (one object per list)."""
        if code not in self._lists:
            texts, items, owners = self._csr()
            start, end = bisect_left(owners, code), bisect_left(owners, code + 1)
            self._lists[code] = list(map(texts.__getitem__, items[start:end]))
        return self._lists[code]

    def _csr(self) -> tuple[list[str], array[int], array[int]]:
        """A list column's distinct texts, and per item of its distinct lists, in order: its text's code and
        its list's."""
        if self._items is None:
            texts = _checked_distinct("text", from_json(part_named(self._parts, f"{self.path}:texts")))
            items = unpack_ints(part_named(self._parts, f"{self.path}:items"))
            owners = unpack_ints(part_named(self._parts, f"{self.path}:owners"))
            if len(items) != len(owners) or (items and max(items) >= len(texts)):
                raise EncodingError(f"{self.path}: unreadable list items")
            self._items = (texts, items, owners)
        return self._items


FIND_CODES = 32  # up to this many codes wanted, each is found by a search of the codes' bytes, in C


def _found(raw: bytes, typecode: str, code: int) -> Iterator[int]:
    """The indices of `code` in an array's bytes (a match across two items' bytes is not one)."""
    pattern, width = array(typecode, [code]).tobytes(), array(typecode).itemsize
    at = raw.find(pattern)
    while at >= 0:
        if at % width:
            at = raw.find(pattern, at + 1)
        else:
            yield at // width
            at = raw.find(pattern, at + width)


def unpack_ints(raw: memoryview) -> array[int]:
    """An array `pack_ints` wrote."""
    if not raw or chr(raw[0]) not in "BHI":
        raise EncodingError("unreadable codes")
    codes = array(chr(raw[0]))
    try:
        codes.frombytes(raw[1:])
    except ValueError:
        raise EncodingError("unreadable codes") from None
    return codes


def column_kind(path: str) -> str:
    """How a column is encoded: lines (ids), lists, dates, times, text or plain."""
    return _kind(path)


def _kind(path: str) -> str:
    field_type = FIELDS[path].type
    if path == "id":
        return "lines"
    if field_type.is_list:
        return "lists"
    if field_type is FieldType.date:
        return "dates"
    if field_type is FieldType.time:
        return "times"
    if field_type in (FieldType.text, FieldType.entity, FieldType.source):
        return "text"
    return "plain"  # numbers and the scalar `value`: 1, 1.0 and true must stay apart


def _checked_distinct(kind: str, values: Any) -> list[Any]:
    if not isinstance(values, list):
        raise EncodingError("values are not a list")
    if kind in ("dates", "times"):
        model = FuzzyDate if kind == "dates" else EventTime
        try:
            return [None if v is None else model.model_validate(v) for v in values]
        except ValueError as exc:
            raise EncodingError("a date that does not validate") from exc
    # json.loads makes exact lists and texts: their types are checked in C, not per value in Python
    if kind == "lists":
        if not (set(map(type, values)) <= {list} and set(map(type, chain.from_iterable(values))) <= {str}):
            raise EncodingError("a list of something other than texts")
        return values
    if not set(map(type, values)) <= {str, type(None)}:
        raise EncodingError("a text column with something other than texts")
    return values
