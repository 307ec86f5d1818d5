"""The claims of a corpus by id, stored for scale.

A pydantic `Claim` costs ~2.1 KB; a million of them alone would break a 2 GB budget. A claim read from
a bulk (JSON Lines) file is therefore kept as its validated JSON line plus one column entry per field a
rule can test; the `Claim` object is rebuilt from the line when someone asks for it (the engine's
candidates, the claims of a tension). Claims added as objects (YAML corpora, rule tests) are kept as
they are. Evaluation reads the columns, so a claim that never reaches a candidate tuple is never
rebuilt.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from itertools import accumulate, chain, compress, groupby, islice, repeat
from operator import itemgetter
from typing import Any, overload

from factcheck.errors import InputError
from factcheck.model.claim import Claim
from factcheck.model.encoding import (
    Accept,
    EncodingError,
    KeptColumn,
    column_kind,
    encode_columns,
    from_json,
    pack_ints,
    part_named,
    to_json,
    unpack_ints,
)
from factcheck.model.fields import FIELDS

# Every rule-testable field but the quote (long, rarely tested: read off the claims when a rule does).
INDEXED_FIELDS = tuple(path for path in FIELDS if path != "quote")
INDEXED_SET = frozenset(INDEXED_FIELDS)
# The order `row_of` writes them in, spelled out: it reads each field directly (a million claims).
ROW_FIELDS = (
    "id",
    "speaker",
    "source",
    "said_on",
    "when",
    "quote_kind",
    "attribution.via",
    "attribution.paraphrases",
    "attribution.translated.from",
    "attribution.translated.by",
    "subject",
    "predicate",
    "object",
    "value",
    "polarity",
    "status",
    "topics",
    "qualifiers.count",
    "qualifiers.count.approx",
    "qualifiers.count.unit",
    "qualifiers.count.per",
    "qualifiers.place",
    "qualifiers.means",
    "qualifiers.condition",
    "qualifiers.purpose",
    "qualifiers.frequency",
    "qualifiers.scope",
    "qualifiers.modality",
    "qualifiers.parties",
)
assert ROW_FIELDS == INDEXED_FIELDS, "row_of must write every indexed field, in FIELDS order"
_ID = ROW_FIELDS.index("id")
_SAID_ON = ROW_FIELDS.index("said_on")
_NO_COUNT = (None, None, None, None)
_NO_TRANSLATION = (None, None)

MAX_LINE_READ = 2**20  # a claim's line is far shorter (load/json_line.py): reading again stops here
MAX_ID_SEARCHES = 64  # kept ids looked up by a search each; past this many, a dict of every kept id is built
MAX_CHUNKS = 16  # appends kept as chunks of their own (to_parts); past this many, the columns are encoded anew
Row = tuple[Any, ...]  # a claim's column values, in ROW_FIELDS order


def row_id(row: Row) -> str:
    return row[_ID]  # type: ignore[no-any-return]


def row_of(claim: Claim, shared: dict[Any, Any] | None = None) -> Row:
    """The claim's values for the table's columns (enums as their text, a count as its parts), in
    ROW_FIELDS order. With `shared`, equal dates and equal lists become one object each: rows sent to
    another process then carry each once (columns are never changed in place, so sharing is safe)."""
    f = claim.__dict__
    q = f["qualifiers"].__dict__
    a = f["attribution"].__dict__
    count = q["count"]
    if count is None:
        counted: tuple[Any, ...] = _NO_COUNT
    else:
        c = count.__dict__
        counted = (c["value"], c["approx"]._value_, c["unit"], c["per"])
    translated = a["translated"]
    translation = _NO_TRANSLATION if translated is None else (translated.from_, translated.by)
    said_on, topics, via, means, parties = f["said_on"], f["topics"], a["via"], q["means"], q["parties"]
    if shared is not None:
        said_on = shared_date(shared, said_on)
        topics = shared.setdefault(("list", *topics), topics)
        via = shared.setdefault(("list", *via), via)
        means = shared.setdefault(("list", *means), means)
        parties = shared.setdefault(("list", *parties), parties)
    return (
        f["id"],
        f["speaker"],
        f["source"],
        said_on,
        f["when"],
        f["quote_kind"]._value_,
        via,
        a["paraphrases"],
        *translation,
        f["subject"],
        f["predicate"],
        f["object"],
        f["value"],
        f["polarity"]._value_,
        f["status"]._value_,
        topics,
        *counted,
        q["place"],
        means,
        q["condition"],
        q["purpose"],
        q["frequency"],
        q["scope"],
        q["modality"],
        parties,
    )


def shared_date(dates: dict[Any, Any], date: Any) -> Any:
    """One object per distinct date (corpora repeat a few hundred), found without pydantic's slow hash."""
    fields = date.__dict__
    key = ("date", fields["date"], fields["approximate"], fields["as_written"], fields["time"], fields["zone"])
    return dates.setdefault(key, date)


class ClaimTable(Mapping[str, Claim]):
    """Claims by id, in the order they were added (positions). A table read back from a kept run (`from_parts`)
    holds its claims as the kept bytes and decodes a column, or the id index, only when it is asked for whole:
    a re-run after a few appended claims reads a few values of a few columns (`value`, `holding`, `position`)."""

    def __init__(self, claims: Iterable[Claim] = ()) -> None:
        # the claims read back from a kept run: positions below `_kept_size`, column by column per chunk
        self._kept_size = 0
        self._kept_chunks: list[tuple[int, dict[str, bytes | memoryview]]] = []  # columns as read back (to_parts)
        self._kept_starts: list[int] = []  # each kept chunk's first position
        self._kept_columns: list[dict[str, KeptColumn]] = []
        self._kept_offsets = array("q")  # per kept claim: where its line starts in its file, or -1
        self._kept_docs = array("B")  # per kept claim: 1 + the index of its origin document (0: none)
        self._kept_objects: dict[int, Claim] = {}  # kept claims held as objects (YAML)
        self._kept_hints: dict[str, int] = {}  # ids the kept matches name, and where (checked on use)
        self._kept_index: dict[str, int] | None = None  # every kept id, once lookups are many
        self._lookups = 0
        # the claims from `_kept_size` on: ids, and per claim its object (YAML claims), where its JSON line
        # starts in its origin document's file (bulk claims: read again when the claim is rebuilt), or the line
        self._positions: dict[str, int] = {}
        # (an array of offsets while every claim is a bulk one: a million Python ints would cost ~36 MB more)
        self._stored: list[Claim | bytes | int] | array[int] = array("q")
        self._rebuilt: dict[int, Claim] = {}
        self._dates: dict[Any, Any] = {}  # one shared object per distinct date: corpora repeat a few hundred
        # per column, the list new values are appended to, and the position of its first value
        self._lists: dict[str, list[Any] | CodedList] = {path: _tail(path) for path in INDEXED_FIELDS}
        self._list_start: dict[str, int] = dict.fromkeys(INDEXED_FIELDS, 0)
        self.columns: Mapping[str, list[Any]] = _Columns(self)
        self._wire_columns()
        # where bulk-loaded claims stand: (document, line index); YAML claims keep theirs in Corpus.origins
        self._origin_docs: list[Any] = []
        self._origin_doc = array("i")  # from `_kept_size` on
        self._origin_line = array("q")
        for claim in claims:
            self.add(claim)

    def add(self, claim: Claim, line: bytes | int | None = None, origin: tuple[Any, int] | None = None) -> int:
        """Append a validated claim (the caller checks the id is new); `line` is the JSON it was
        validated from, or where that line starts in the origin's file, kept instead of the object."""
        return self.add_row(row_of(claim), claim if line is None else line, origin)

    def add_row(self, row: Row, stored: Claim | bytes | int, origin: tuple[Any, int] | None = None) -> int:
        """Append a claim by its `row_of` values (computed here or in another process)."""
        values = list(row)
        position = len(self)
        self._positions[values[_ID]] = position
        if isinstance(self._stored, array) and type(stored) is not int:  # an object or a line: a list of all
            self._stored = list(self._stored)
        self._stored.append(stored)  # type: ignore[arg-type]
        values[_SAID_ON] = self._shared_date(values[_SAID_ON])
        for column, value in zip(self._row_columns, values, strict=True):
            column.append(value)
        if origin is None:
            self._origin_doc.append(-1)
            self._origin_line.append(-1)
        else:
            doc, line_index = origin
            if not self._origin_docs or self._origin_docs[-1] is not doc:
                self._origin_docs.append(doc)
            self._origin_doc.append(len(self._origin_docs) - 1)
            self._origin_line.append(line_index)
        return position

    def extend(self, rows: list[Row], lines: Sequence[bytes | int], doc: Any, line_indices: list[int]) -> None:
        """Append many bulk-loaded claims at once (the caller checks their ids are new and distinct):
        column by column, so a million claims cost a few list extensions, not 23 million appends."""
        if rows:
            self.extend_columns(dict(zip(ROW_FIELDS, zip(*rows, strict=True), strict=True)), lines, doc, line_indices)

    def extend_columns(
        self,
        columns: Mapping[str, Sequence[Any]],
        lines: Sequence[bytes | int],
        doc: Any,
        line_indices: Iterable[int],
        shared: bool = False,
        indexed: bool = False,
    ) -> None:
        """Append bulk-loaded claims given as columns (ROW_FIELDS paths, `row_of` values; the caller checks
        their ids are new and distinct). `shared`: their dates are already this table's (`shared`);
        `indexed`: their ids are already in the id index (`extend_new_columns`)."""
        size = len(lines)
        if not size:
            return
        start = len(self)
        for path, column in zip(ROW_FIELDS, self._row_columns, strict=True):
            values = columns[path]
            if path == "said_on" and not shared:  # rows from elsewhere: one object per date in this table
                canonical = {id(v): self._shared_date(v) for v in {id(v): v for v in values}.values()}
                values = list(map(canonical.__getitem__, map(id, values)))
            column.extend(values)
        if not indexed:
            self._positions.update(zip(columns["id"], range(start, start + size), strict=True))
        if isinstance(self._stored, list):
            self._stored.extend(map(_plain, lines))
        else:
            try:
                self._stored.extend(_int64s(lines))  # type: ignore[arg-type]
            except TypeError:  # a line kept as bytes: a list of them all
                self._stored = [*self._stored, *map(_plain, lines)]
        if not self._origin_docs or self._origin_docs[-1] is not doc:
            self._origin_docs.append(doc)
        self._origin_doc.extend(array("i", [len(self._origin_docs) - 1]) * size)
        self._origin_line.extend(_int64s(line_indices))

    def extend_new_columns(
        self,
        columns: Mapping[str, Sequence[Any]],
        lines: Sequence[bytes | int],
        doc: Any,
        line_indices: Iterable[int],
        shared: bool = False,
    ) -> bool:
        """`extend_columns` when every id is new and distinct (True); otherwise the table is left as it was
        (False). The id index is grown first and its size is the check: one pass over a million ids."""
        ids = columns["id"]
        if self._kept_size:  # kept ids are not in the index (`_position_of`)
            if len(set(ids)) != len(ids) or not self.isdisjoint(ids):
                return False
            self.extend_columns(columns, lines, doc, line_indices, shared)
            return True
        positions, before = self._positions, len(self._positions)
        positions.update(zip(ids, range(before, before + len(ids)), strict=True))
        if len(positions) != before + len(ids):  # a repeated id: undone (the index's i-th id is at position i)
            self._positions = dict(zip(islice(positions, before), range(before), strict=True))
            return False
        self.extend_columns(columns, lines, doc, line_indices, shared, indexed=True)
        return True

    def adopt(self, columns: Mapping[str, Any]) -> dict[str, Any]:
        """Columns for `extend_columns`, their Coded values renumbered as this table's codes: done once for a
        block whose claims are then added run by run (between lines read one by one), each run a copy."""
        adopted = dict(columns)
        for path, values in columns.items():
            tail = self._lists.get(path)
            if (
                isinstance(values, Coded)
                and isinstance(tail, CodedList)
                and values.owner is None
                and (values.dictionary is None or tail.kind == "dates")  # (others: numbered when first read)
            ):
                adopted[path] = Coded(tail.renumber(values), owner=tail)
        return adopted

    def settle(self) -> None:
        """Number every coded column's blocks now (CodedList): their arrow dictionaries are then freed, before a
        child process is forked beside the run, which would otherwise number them too."""
        for column in self._lists.values():
            if isinstance(column, CodedList):
                column.settle()

    @property
    def shared(self) -> dict[Any, Any]:
        """For `row_of`: the dates and lists of rows made for this table, one object per value."""
        return self._dates

    def _wire_columns(self) -> None:
        self._row_columns = [self._lists[path] for path in ROW_FIELDS]

    def _shared_date(self, date: Any) -> Any:
        return shared_date(self._dates, date)

    # -- columns -------------------------------------------------------------------------------------------

    def column(self, path: str) -> list[Any]:
        """A whole column, one value per claim (a kept or coded column is decoded now, once)."""
        tail = self._lists[path]
        if isinstance(tail, CodedList) and not self._list_start[path]:
            self._lists[path] = tail.values()
            self._wire_columns()
        elif self._list_start[path]:
            kept = [columns[path] for columns in self._kept_columns]
            whole = kept[0].values() if len(kept) == 1 else list(chain.from_iterable(c.values() for c in kept))
            whole.extend(self._lists[path])  # (a lone chunk's own list: its column is not asked again)
            self._lists[path], self._list_start[path] = whole, 0
            self._wire_columns()
        return self._lists[path]  # type: ignore[return-value]

    def decoded(self, path: str) -> bool:
        """Whether a column is held whole as a list (`column` costs nothing)."""
        return not self._list_start[path] and type(self._lists[path]) is list

    @property
    def held_columns(self) -> dict[str, list[Any] | CodedList]:
        """The columns as they are held: a coded column as its codes (for encode_columns), others as lists."""
        return {path: self._held_column(path) for path in INDEXED_FIELDS}

    def _held_column(self, path: str) -> list[Any] | CodedList:
        coded = self.coded(path)
        return coded if coded is not None else self.column(path)

    def used(self, path: str) -> set[Any]:
        """The values a column holds (for a list column, the texts its lists hold); a coded column's are found
        from its codes, without decoding it."""
        coded = self.coded(path)
        if coded is not None:
            return coded.used()
        column = self.column(path)
        if FIELDS[path].type.is_list:
            return set(chain.from_iterable({id(v): v for v in column}.values()))
        return set(column)

    def coded(self, path: str) -> CodedList | None:
        """A column held whole as codes (claims read as columns), or None."""
        tail = self._lists[path]
        return tail if isinstance(tail, CodedList) and not self._list_start[path] else None

    def value(self, path: str, position: int) -> Any:
        """One claim's value in one column, without decoding the column."""
        start = self._list_start[path]
        if position >= start:
            return self._lists[path][position - start]
        if position < 0:
            raise IndexError(position)
        chunk = bisect_right(self._kept_starts, position) - 1
        return self._kept_columns[chunk][path][position - self._kept_starts[chunk]]

    def values_at(self, path: str, positions: list[int]) -> list[Any]:
        """`value(path, p)` for each of `positions`, read as codes where the column is kept."""
        if not self._list_start[path]:
            return list(map(self._lists[path].__getitem__, positions))
        if len(self._kept_columns) != 1 or (positions and min(positions) < 0):
            return [self.value(path, p) for p in positions]
        size, tail, start = self._kept_size, self._lists[path], self._list_start[path]
        kept = iter(self._kept_columns[0][path].values_at([p for p in positions if p < size]))
        return [next(kept) if p < size else tail[p - start] for p in positions]

    def row_at(self, position: int) -> Row:
        if position >= self._kept_size or position < 0:
            return tuple(self.value(path, position) for path in ROW_FIELDS)
        chunk = bisect_right(self._kept_starts, position) - 1
        columns, at = self._kept_columns[chunk], position - self._kept_starts[chunk]
        return tuple(
            columns[path][at] if self._list_start[path] else self._lists[path][position] for path in ROW_FIELDS
        )

    def holding(self, path: str, accept: Accept) -> list[int]:
        """The positions whose value in a column of texts or lists of texts (for a list, one of its texts)
        `accept` takes: each distinct kept text looked at once, the kept codes scanned in C."""
        is_list = FIELDS[path].type.is_list
        if self.decoded(path):
            return _holding(self._lists[path], _test(accept), is_list)
        found: list[int] = []
        for start, columns in zip(self._kept_starts, self._kept_columns, strict=True):
            held = columns[path].holding(accept)
            if held is None:  # a column of other values: read whole
                held = _holding(columns[path].values(), _test(accept), is_list)
            found.extend(map(start.__add__, held) if start else held)
        tail = self._list_start[path]
        found.extend(map(tail.__add__, _holding(self._lists[path], _test(accept), is_list)))
        return found

    def keep_holding(self, path: str, positions: list[int], accept: Accept) -> list[int]:
        """Those of `positions` (ascending) whose value in a column of texts or lists of texts (for a list,
        one of its texts) `accept` takes: kept values are compared as codes, none is decoded."""
        is_list = FIELDS[path].type.is_list
        test = _test(accept)

        def takes(value: Any) -> bool:
            return any(map(test, value)) if is_list else value is not None and test(value)

        if self.decoded(path):
            column = self._lists[path]
            return [p for p in positions if takes(column[p])]
        kept: list[int] = []
        ends = [*self._kept_starts[1:], self._kept_size]
        for chunk, (start, end) in enumerate(zip(self._kept_starts, ends, strict=True)):
            inside = positions[bisect_left(positions, start) : bisect_left(positions, end)]
            held = self._kept_columns[chunk][path].keep([p - start for p in inside], accept)
            if held is None:
                kept.extend(p for p in inside if takes(self.value(path, p)))
            else:
                kept.extend(start + p for p in held)
        kept.extend(p for p in positions[bisect_left(positions, self._kept_size) :] if takes(self.value(path, p)))
        return kept

    # -- ids -----------------------------------------------------------------------------------------------

    def _position_of(self, claim_id: object) -> int | None:
        position: int | None = self._positions.get(claim_id)  # type: ignore[call-overload]
        if position is not None or not self._kept_size or type(claim_id) is not str:
            return position
        if self._kept_index is not None:
            return self._kept_index.get(claim_id)
        hinted = self._kept_hints.get(claim_id)
        if hinted is not None and self.value("id", hinted) == claim_id:
            return hinted
        self._lookups += 1
        if self._lookups > MAX_ID_SEARCHES:  # many lookups: one index of every kept id costs less
            ids = self.column("id")
            self._kept_index = dict(zip(islice(ids, self._kept_size), range(self._kept_size), strict=True))
            if len(self._kept_index) != self._kept_size:
                raise EncodingError("duplicate ids")
            return self._kept_index.get(claim_id)
        for start, columns in zip(self._kept_starts, self._kept_columns, strict=True):
            found = columns["id"].find_line(claim_id)
            if found is not None:
                return start + found
        return None

    def position(self, claim_id: str) -> int:
        position = self._position_of(claim_id)
        if position is None:
            raise KeyError(claim_id)
        return position

    # -- keeping -------------------------------------------------------------------------------------------

    def to_parts(
        self, hints: Iterable[str] = (), encoded: Mapping[str, bytes | memoryview] | None = None
    ) -> dict[str, bytes | memoryview]:
        """The table as data to keep between runs (model/encoding.py), without the JSON lines (they are
        in the user's files, where `offsets` says) and without its origin documents (the caller keeps those).
        `hints`: ids the next run will look up (the kept matches'), kept with their positions. `encoded`:
        `encode_columns(self.columns)` when nothing is kept yet, if it was made already (beside the run).

        Columns are kept in chunks of consecutive claims. A table read back from parts keeps their
        bytes, so after claims were appended only the new claims' columns are encoded again."""
        chunks = list(self._kept_chunks)
        done = sum(size for size, _ in chunks)
        if done < len(self):
            # the columns themselves when nothing is kept yet: slices would copy every column at once
            new = self.held_columns if not done else {p: self._since(p, done) for p in INDEXED_FIELDS}
            chunks.append(
                (len(self) - done, dict(encoded) if encoded is not None and not done else encode_columns(new))
            )
        if len(chunks) > MAX_CHUNKS:
            chunks = [(len(self), encode_columns(self.held_columns))]
        stored = self._stored
        objects = [[p, c.model_dump(mode="json")] for p, c in self._kept_objects.items()]
        offsets = array("q", self._kept_offsets)
        try:  # bulk claims only: every one stored as its line's offset (the array refuses anything else, in C)
            offsets.extend(array("q", stored))  # type: ignore[arg-type]
        except TypeError:
            held = compress(range(len(stored)), map(isinstance, stored, repeat(Claim)))  # YAML claims: objects
            objects += [[self._kept_size + p, stored[p].model_dump(mode="json")] for p in held]  # type: ignore[union-attr]
            offsets.extend([v if type(v) is int else -1 for v in stored])
        positions = [[claim_id, self._position_of(claim_id)] for claim_id in dict.fromkeys(hints)]
        docs = chain(self._kept_docs, map((1).__add__, self._origin_doc))  # 0: no origin document
        return {
            **{f"{i}:{name}": data for i, (_, encoded) in enumerate(chunks) for name, data in encoded.items()},
            "chunks": to_json([size for size, _ in chunks]),
            "objects": to_json(objects),
            "hints": to_json([pair for pair in positions if pair[1] is not None]),
            "origin_doc": pack_ints(docs, len(self._origin_docs) + 1),
            "origin_line": self._origin_line.tobytes(),
            "offsets": offsets.tobytes(),
        }

    def _since(self, path: str, first: int) -> list[Any]:
        """A column's values from position `first` on (appended claims: no kept column is decoded)."""
        start = self._list_start[path]
        if first >= start:
            return self._lists[path][first - start :]
        return self.column(path)[first:]

    @classmethod
    def from_parts(cls, parts: dict[str, memoryview], origin_docs: list[Any]) -> ClaimTable:
        """A table from `to_parts`; raises EncodingError on anything else. Columns are decoded when asked
        for (KeptColumn); what costs little to check is checked now."""
        table = cls()
        sizes = from_json(part_named(parts, "chunks"))
        if not (isinstance(sizes, list) and all(type(size) is int and size > 0 for size in sizes)):
            raise EncodingError("unreadable chunk sizes")
        start = 0
        for i, chunk_size in enumerate(sizes):
            prefix = f"{i}:"
            chunk: dict[str, bytes | memoryview] = {
                name.removeprefix(prefix): data for name, data in parts.items() if name.startswith(prefix)
            }
            table._kept_columns.append(
                {path: KeptColumn(chunk, path, chunk_size, table._shared_date) for path in INDEXED_FIELDS}
            )
            table._kept_chunks.append((chunk_size, chunk))
            table._kept_starts.append(start)
            start += chunk_size
        size = table._kept_size = start
        table._list_start = dict.fromkeys(INDEXED_FIELDS, size)
        table._kept_offsets.frombytes(part_named(parts, "offsets"))
        if len(table._kept_offsets) != size:
            raise EncodingError("offsets do not match the claims")
        objects = from_json(part_named(parts, "objects"))
        try:
            for position, fields in objects:
                if type(position) is not int or not 0 <= position < size:
                    raise IndexError(position)
                table._kept_objects[position] = Claim.model_validate(fields)
        except (ValueError, TypeError, IndexError) as exc:
            raise EncodingError("a claim object that does not validate") from exc
        hints = from_json(part_named(parts, "hints"))
        try:
            table._kept_hints = {str(claim_id): int(position) for claim_id, position in hints}
        except (ValueError, TypeError) as exc:
            raise EncodingError("unreadable hints") from exc
        if not all(0 <= position < size for position in table._kept_hints.values()):
            raise EncodingError("a hint past the claims")
        docs = table._kept_docs = unpack_ints(part_named(parts, "origin_doc"))
        table._origin_line.frombytes(part_named(parts, "origin_line"))
        if not len(docs) == len(table._origin_line) == size:
            raise EncodingError("origins do not match the claims")
        known = len(origin_docs) + 1
        if docs.typecode == "B" and known < 256:  # checked in C: nothing is left once the known codes are gone
            if docs.tobytes().translate(None, bytes(range(known))):
                raise EncodingError("an origin document past the list")
        elif size and max(docs) >= known:
            raise EncodingError("an origin document past the list")
        table._origin_docs = origin_docs
        return table

    @property
    def origin_documents(self) -> list[Any]:
        return self._origin_docs

    # -- claims --------------------------------------------------------------------------------------------

    def _stored_at(self, position: int) -> Claim | bytes | int:
        if position >= self._kept_size:
            return self._stored[position - self._kept_size]
        if position < 0:
            raise IndexError(position)
        held = self._kept_objects.get(position)
        return held if held is not None else self._kept_offsets[position]

    def at(self, position: int) -> Claim:
        """The claim at a position, rebuilt once and then kept (it is about to be used again)."""
        stored = self._stored_at(position)
        if isinstance(stored, Claim):
            return stored
        claim = self._rebuilt.get(position)
        if claim is None:
            claim = self._rebuilt[position] = self._rebuild(position, stored)
        return claim

    def _peek(self, position: int) -> Claim:
        stored = self._stored_at(position)
        if isinstance(stored, Claim):
            return stored
        return self._rebuilt.get(position) or self._rebuild(position, stored)

    def _rebuild(self, position: int, stored: bytes | int) -> Claim:
        """The claim from its JSON line: kept, or read again from its file (checked against the columns read
        at load, so a file changed since is an error, never another claim)."""
        if isinstance(stored, bytes):
            return Claim.model_validate_json(stored)
        doc = self._origin_docs[self._doc_at(position)]
        try:
            with open(doc.file, "rb") as handle:
                handle.seek(stored)
                claim = self._from_line(position, handle.readline(MAX_LINE_READ))
        except OSError:
            claim = None
        if claim is None:
            raise InputError(
                doc.location((self._origin_line[position],)),
                "the file changed while factcheck read it; run again once it is written",
            )
        return claim

    def _from_line(self, position: int, line: bytes) -> Claim | None:
        """The claim a line read again holds, if it is the one the columns hold at `position`."""
        try:
            claim = Claim.model_validate_json(line[:-1] if line.endswith(b"\n") else line)
        except ValueError:
            return None
        return claim if row_of(claim) == self.row_at(position) else None

    def prefetch(self, claim_ids: Iterable[str]) -> None:
        """Rebuild the claims of `claim_ids` now, each file opened once and read in order (a re-run's kept
        matches: hundreds of claims). What cannot be read here is left to `at`, which says why."""
        wanted = []
        for claim_id in claim_ids:
            position = self._position_of(claim_id)
            if position is not None and position not in self._rebuilt:
                stored = self._stored_at(position)
                if type(stored) is int:
                    wanted.append((self._doc_at(position), stored, position))
        wanted.sort()
        read: list[tuple[int, bytes]] = []
        for doc_index, group in groupby(wanted, key=itemgetter(0)):
            try:
                with open(self._origin_docs[doc_index].file, "rb") as handle:
                    for _, offset, position in group:
                        handle.seek(offset)
                        read.append((position, handle.readline(MAX_LINE_READ)))
            except OSError:
                continue
        positions = [position for position, _ in read]
        rows = zip(*(self.values_at(path, positions) for path in ROW_FIELDS), strict=True)  # column by column
        for (position, line), row in zip(read, rows, strict=True):
            try:
                claim = Claim.model_validate_json(line[:-1] if line.endswith(b"\n") else line)
            except ValueError:
                continue
            if row_of(claim) == row:
                self._rebuilt[position] = claim

    def origin(self, claim_id: str) -> tuple[Any, tuple[int]] | None:
        position = self._position_of(claim_id)
        if position is None or self._doc_at(position) < 0:
            return None
        return self._origin_docs[self._doc_at(position)], (self._origin_line[position],)

    def _doc_at(self, position: int) -> int:
        """The index of the origin document of the claim at `position`; -1 for none."""
        if position >= self._kept_size:
            return self._origin_doc[position - self._kept_size]
        return self._kept_docs[position] - 1

    def __getitem__(self, claim_id: str) -> Claim:
        return self.at(self.position(claim_id))

    def isdisjoint(self, claim_ids: Iterable[str]) -> bool:
        """Whether none of `claim_ids` is in the table (one C-level pass when every id is indexed)."""
        if not self._kept_size:
            return self._positions.keys().isdisjoint(claim_ids)
        claim_ids = list(claim_ids)
        if self._kept_index is not None:
            return self._positions.keys().isdisjoint(claim_ids) and self._kept_index.keys().isdisjoint(claim_ids)
        return all(self._position_of(claim_id) is None for claim_id in claim_ids)

    def __contains__(self, claim_id: object) -> bool:
        return self._position_of(claim_id) is not None

    def __iter__(self) -> Iterator[str]:
        if not self._kept_size:
            return iter(self._positions)
        return chain(islice(self.column("id"), self._kept_size), self._positions)

    def __len__(self) -> int:
        return self._kept_size + len(self._stored)

    def values(self) -> Iterator[Claim]:  # type: ignore[override]
        """Every claim in order, rebuilt without being kept: a full scan must not hold them all."""
        return (self._peek(position) for position in range(len(self)))


class _Columns(Mapping[str, list[Any]]):
    """A table's columns by field path; a kept column is decoded when it is first asked for."""

    def __init__(self, table: ClaimTable) -> None:
        self._table = table

    def __getitem__(self, path: str) -> list[Any]:
        if path not in INDEXED_SET:
            raise KeyError(path)
        return self._table.column(path)

    def __contains__(self, path: object) -> bool:
        return path in INDEXED_SET

    def __iter__(self) -> Iterator[str]:
        return iter(INDEXED_FIELDS)

    def __len__(self) -> int:
        return len(INDEXED_FIELDS)


LIST_SEPARATOR = "\x1f"  # joins a list's texts into its key: no text read as a column holds it (load/columnar.py)


def list_key(items: list[str]) -> str | tuple[str, ...] | None:
    """The key of a list of texts in a coded column: None for the empty list, else its texts joined (a
    tuple when one holds the separator: never equal to a text)."""
    if not items:
        return None
    joined = LIST_SEPARATOR.join(items)
    return tuple(items) if joined.count(LIST_SEPARATOR) != len(items) - 1 else joined


def _list_of(key: str | tuple[str, ...] | None) -> list[str]:
    return [] if key is None else list(key) if isinstance(key, tuple) else key.split(LIST_SEPARATOR)


class Coded:
    """Values given as codes into their distinct values, as arrow's dictionary encoding gives them: `codes` a
    numpy array of int32, one per value; `distinct` the values (some may be unused), for a list column
    (`lists`) their `list_key`s. Texts and keys may come as an arrow `dictionary` instead, the code past its
    end standing for None."""

    __slots__ = ("_distinct", "codes", "dictionary", "lists", "owner")

    def __init__(
        self,
        codes: Any,
        distinct: list[Any] | None = None,
        lists: bool = False,
        dictionary: Any = None,
        owner: CodedList | None = None,
    ) -> None:
        self.codes, self._distinct, self.lists, self.dictionary = codes, distinct, lists, dictionary
        self.owner = owner  # the column whose codes these are (ClaimTable.adopt), if any

    @property
    def distinct(self) -> list[Any]:
        if self._distinct is None:
            self._distinct = [*self.dictionary.to_pylist(), None]
        return self._distinct

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, at: slice) -> Coded:
        return Coded(self.codes[at], self._distinct, self.lists, self.dictionary, self.owner)

    def __iter__(self) -> Iterator[Any]:
        if self.owner is not None:
            return map(self.owner.distinct.__getitem__, self.codes.tolist())
        distinct = list(map(_list_of, self.distinct)) if self.lists else self.distinct
        return map(distinct.__getitem__, self.codes.tolist())


class CodedList(Sequence[Any]):
    """A column held as 4-byte codes into its distinct values (a Python list costs 8 bytes a claim, and arrow
    gives the codes ready made). Texts and lists get one code per distinct value (a list by its `list_key`),
    dates, which the table shares, one per object. A distinct list is made when first read.

    Codes given with an arrow dictionary (claims read as columns, block by block) are kept as they are until
    the column is first read: then all blocks' dictionaries are encoded as one by arrow, so each distinct
    text is looked at in Python once, not once per block."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._codes = array("i")
        self._values: list[Any] = []  # per code, its value (lists: None until made)
        self._keys: list[Any] = []  # lists: per code, its key
        self._index: dict[Any, int] = {}  # code by key, for the codes below `_indexed` (`_complete_index`)
        self._indexed = 0
        self._unmade = 0  # lists not made yet
        self._numpy: Any = None
        self._pending: list[tuple[int, Any, Any]] = []  # (first position, codes, arrow dictionary) per block

    def _key(self, value: Any) -> Any:
        if self.kind == "text":
            return value
        if self.kind == "lists":
            return list_key(value)
        return id(value)  # (the object is held in `_values`: its id stays its own)

    def code(self, value: Any) -> int:
        key = self._key(value)
        code = self._complete_index().get(key)
        if code is None:
            code = self._index[key] = len(self._values)
            self._values.append(value)
            if self.kind == "lists":
                self._keys.append(key)
            self._indexed += 1
        return code

    def _code_of_key(self, key: Any) -> int:
        """A list's code by its key (the list is made when read)."""
        code = self._complete_index().get(key)
        if code is None:
            code = self._index[key] = len(self._values)
            self._values.append(None)
            self._keys.append(key)
            self._unmade += 1
            self._indexed += 1
        return code

    @property
    def codes(self) -> array[int]:
        """Per position, its code."""
        if self._pending:
            self._settle()
        return self._codes

    @property
    def distinct(self) -> list[Any]:
        """Per code, its value."""
        if self._pending:
            self._settle()
        if self._unmade:
            self._values = [_list_of(k) if v is None else v for v, k in zip(self._values, self._keys, strict=True)]
            self._unmade = 0
        return self._values

    @property
    def keys(self) -> list[Any]:
        """Per code of a list column, its `list_key`."""
        if self._pending:
            self._settle()
        return self._keys

    def append(self, value: Any) -> None:
        self._codes.append(self.code(value))

    def extend(self, values: Iterable[Any]) -> None:
        if isinstance(values, Coded) and values.owner is self:
            self._codes.frombytes(values.codes.tobytes())
        elif isinstance(values, Coded) and values.owner is None and values.lists == (self.kind == "lists"):
            if values.dictionary is not None and self.kind != "dates":  # numbered when first read
                self._pending.append((len(self._codes), values.codes, values.dictionary))
                self._codes.frombytes(bytes(4 * len(values.codes)))
            elif values.dictionary is None and len(values.distinct) == 1 and len(values) and self.kind != "dates":
                # one value throughout (most qualifiers: None): its code repeated, nothing remapped
                only = values.distinct[0]
                code = self._code_of_key(only) if self.kind == "lists" else self.code(only)
                self._codes.extend(array("i", [code]) * len(values))
            else:
                self._codes.frombytes(self.renumber(values).tobytes())
        else:
            self._codes.extend(map(self.code, values))

    def settle(self) -> None:
        if self._pending:
            self._settle()

    def _settle(self) -> None:
        """Number the blocks' codes kept with their arrow dictionaries (`extend`) as this column's."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        pending, self._pending = self._pending, []
        dictionaries = list({id(d): d for _, _, d in pending}.values())  # a block's runs share its dictionary
        encoded = pc.dictionary_encode(pa.concat_arrays(dictionaries))
        coder = self._code_of_key if self.kind == "lists" else self.code
        numbers = self._number(encoded.dictionary.to_pylist(), coder)
        entries = numbers[encoded.indices.to_numpy()]  # per entry of each block's dictionary, in order
        starts = dict(zip(map(id, dictionaries), accumulate(map(len, dictionaries), initial=0), strict=False))
        absent = None
        held = np.frombuffer(self._codes, np.int32)  # (a view: released below, before the array grows)
        remaps: dict[int, Any] = {}  # per block's dictionary (its runs share it)
        for first, codes, dictionary in pending:
            size, start = len(dictionary), starts[id(dictionary)]
            remap = remaps.get(id(dictionary))
            if remap is None:
                remap = remaps[id(dictionary)] = np.empty(size + 1, np.int32)
                remap[:size] = entries[start : start + size]
            if len(codes) and int(codes.max()) == size:  # the code past the dictionary: None
                absent = coder(None) if absent is None else absent
                remap[size] = absent
            held[first : first + len(codes)] = remap[codes]
        del held
        self._numpy = None

    def _number(self, keys: list[Any], coder: Callable[[Any], int]) -> Any:
        """This column's codes of distinct texts (list keys), new ones numbered in order as `coder` would
        number them one by one (a numpy array): a file's blocks hold a few hundred thousand distinct lists."""
        import numpy as np

        if None in keys:  # (arrow's dictionaries hold none)
            return np.array([coder(key) for key in keys], np.int32)
        base = len(self._values)
        if base:
            numbers = np.array(list(map(self._complete_index().get, keys, repeat(-1))), np.int32)
            new = np.flatnonzero(numbers < 0)
            fresh = list(map(keys.__getitem__, new.tolist()))
            numbers[new] = np.arange(base, base + len(fresh), dtype=np.int32)
        else:  # a column's first numbering: every key is new
            numbers, fresh = np.arange(len(keys), dtype=np.int32), keys
        # (the new codes join the index only when one is looked up: `_complete_index`)
        if self.kind == "lists":
            self._values.extend(repeat(None, len(fresh)))
            self._keys.extend(fresh)
            self._unmade += len(fresh)
        else:
            self._values.extend(fresh)
        return numbers

    def _complete_index(self) -> dict[Any, int]:
        """The code of every key: the codes `_number` gave are added when first needed (a cold run numbers a
        quarter of a million distinct lists at 1M claims, and never looks one up by its key again)."""
        size = len(self._values)
        if self._indexed < size:
            keys = self._keys if self.kind == "lists" else self._values  # (dates are never numbered so)
            self._index.update(zip(islice(keys, self._indexed, size), range(self._indexed, size), strict=True))
            self._indexed = size
        return self._index

    def renumber(self, values: Coded) -> Any:
        """The codes of `values` (not this column's) as this column's codes (a numpy array of int32)."""
        import numpy as np

        # the codes of the values used, in this column's numbering; the codes themselves remapped in C
        used = np.flatnonzero(np.bincount(values.codes, minlength=len(values.distinct))).tolist()
        remap = np.zeros(len(values.distinct), np.int32)
        taken = map(values.distinct.__getitem__, used)
        if self.kind == "dates":
            remap[used] = list(map(self.code, taken))
        else:  # keyed by the text (list key) itself: those known are found without a call
            index, coder = self._complete_index(), self._code_of_key if self.kind == "lists" else self.code
            remap[used] = [index[key] if key in index else coder(key) for key in taken]
        return remap[values.codes]

    def used(self) -> set[Any]:
        """The values held (for lists, the texts they hold)."""
        import numpy as np

        codes = self.codes
        if not codes:
            return set()
        held = np.flatnonzero(np.bincount(self.numpy(), minlength=len(self._values))).tolist()
        if self.kind == "lists":
            return set(chain.from_iterable(map(_list_of, map(self._keys.__getitem__, held))))
        return set(map(self._values.__getitem__, held))

    def numpy(self) -> Any:
        """The codes as a numpy array of int32 (a copy: the array may grow)."""
        import numpy as np

        codes = self.codes
        if self._numpy is None or len(self._numpy) != len(codes):
            self._numpy = np.frombuffer(codes, np.int32).copy() if codes else np.zeros(0, np.int32)
        return self._numpy

    def values(self) -> list[Any]:
        return list(map(self.distinct.__getitem__, self.codes))

    def __len__(self) -> int:
        return len(self._codes)

    @overload
    def __getitem__(self, at: int) -> Any: ...

    @overload
    def __getitem__(self, at: slice) -> list[Any]: ...

    def __getitem__(self, at: int | slice) -> Any:
        if isinstance(at, slice):
            return list(map(self.distinct.__getitem__, self.codes[at]))
        code = self.codes[at]
        value = self._values[code]
        if value is None and self.kind == "lists":  # made alone: a claim rebuilt reads one list of many
            value = self._values[code] = _list_of(self._keys[code])
            self._unmade -= 1
        return value

    def __iter__(self) -> Iterator[Any]:
        return map(self.distinct.__getitem__, self.codes)


def _int64s(values: Iterable[int]) -> array[int]:
    """Integers as an array of 8-byte ones: a numpy array's without making a Python int of each (numpy is
    not imported for others: a re-run never needs it)."""
    if hasattr(values, "dtype"):
        return array("q", values.astype("int64", copy=False).tobytes())  # type: ignore[attr-defined]
    return array("q", values)


def _plain(value: Any) -> Any:
    """A stored line as it is, a numpy integer as a Python int (`to_parts` tells offsets by their type)."""
    return value if isinstance(value, bytes | Claim) else int(value)


def _tail(path: str) -> list[Any] | CodedList:
    """A new column: coded for texts, dates and lists (which repeat), a list for the rest."""
    kind = column_kind(path)
    return CodedList(kind) if kind in ("text", "dates", "lists") else []


def _test(accept: Accept) -> Callable[[str], bool]:
    return accept.__contains__ if isinstance(accept, AbstractSet) else accept


def _holding(column: Sequence[Any], accept: Callable[[str], bool], is_list: bool) -> list[int]:
    """`ClaimTable.holding` on values held as a list: each distinct value looked at once (lists by identity:
    the table shares equal lists)."""
    if isinstance(column, CodedList):
        if is_list:
            taken = bytes(any(map(accept, v)) for v in column.distinct)
        else:
            taken = bytes(v is not None and accept(v) for v in column.distinct)
        return list(compress(range(len(column)), map(taken.__getitem__, column.codes)))
    if is_list:
        lists = {id(v): v for v in column}
        verdicts = {key: any(map(accept, v)) for key, v in lists.items()}
        return list(compress(range(len(column)), map(verdicts.__getitem__, map(id, column))))
    texts = {v: v is not None and accept(v) for v in set(column)}
    return list(compress(range(len(column)), map(texts.__getitem__, column)))
