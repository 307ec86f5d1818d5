"""Model data as bytes that nothing can execute: named parts of JSON text and integer arrays.

The run cache keeps a run between runs, as data in these forms only; reading them back builds lists, texts, numbers and
(validated) models, never objects of a type the bytes name, as pickle would.

A framed message is a JSON header line `[[name, length], ...]` followed by the parts' bytes in order.
"""

from __future__ import annotations

import json
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from itertools import chain, compress, count, repeat
from operator import is_not
from typing import Any

from factcheck.model.dates import EventTime, FuzzyDate
from factcheck.model.fields import FIELDS, FieldType

CODES = "I"  # array type of dictionary codes: 4 bytes, enough for any number of distinct values we hold


class EncodingError(ValueError):
    """Bytes that are not what the writer of this version makes: the reader falls back to doing the work."""


def pack_parts(parts: dict[str, bytes | memoryview]) -> bytes:
    header = json.dumps([[name, len(data)] for name, data in parts.items()]).encode() + b"\n"
    return b"".join([header, *parts.values()])


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


def encode_columns(columns: dict[str, list[Any]]) -> dict[str, bytes | memoryview]:
    parts: dict[str, bytes | memoryview] = {}
    for path, column in columns.items():
        kind = _kind(path)
        if kind == "lines":
            parts[f"{path}:values"] = "\n".join(column).encode()
            continue
        filled = list(map(bool, column)) if kind == "lists" else list(map(is_not, column, repeat(None)))
        if filled.count(True) * 2 < len(column):
            where = array(CODES, compress(range(len(column)), filled))
            parts[f"{path}:where"] = where.tobytes()
            column = list(map(column.__getitem__, where))
        parts.update(_encode_values(path, kind, column))
    return parts


def _encode_values(path: str, kind: str, column: list[Any]) -> dict[str, bytes | memoryview]:
    if kind == "plain":
        return {f"{path}:values": to_json(column)}
    if kind == "text":
        distinct: Any = dict.fromkeys(column)
        index = dict(zip(distinct, count()))
        codes = _codes(map(index.__getitem__, column), len(index))
    else:  # lists and dates: one object per distinct value already
        by_id = dict(zip(map(id, column), column, strict=True))
        codes = _codes(map(dict(zip(by_id, count())).__getitem__, map(id, column)), len(by_id))
        distinct = by_id.values()
    if kind in ("dates", "times"):
        distinct = [None if d is None else d.model_dump(mode="json") for d in distinct]
    return {f"{path}:values": to_json(list(distinct)), f"{path}:codes": codes}


def _codes(codes: Iterable[int], distinct: int) -> bytes:
    """An array of codes in the smallest type that holds them, its type code first."""
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
