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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import compress, repeat
from typing import Any

from factcheck.errors import InputError
from factcheck.model.claim import Claim
from factcheck.model.encoding import EncodingError, decode_columns, encode_columns, from_json, part_named, to_json
from factcheck.model.fields import FIELDS

# Every rule-testable field but the quote (long, rarely tested: read off the claims when a rule does).
INDEXED_FIELDS = tuple(path for path in FIELDS if path != "quote")
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
    return dates.setdefault(("date", fields["date"], fields["approximate"], fields["as_written"]), date)


class ClaimTable(Mapping[str, Claim]):
    def __init__(self, claims: Iterable[Claim] = ()) -> None:
        self._positions: dict[str, int] = {}
        # per claim: its object (YAML claims), or where its JSON line starts in its origin document's file
        # (bulk claims: the line is read again when the claim is rebuilt), or the line itself
        self._stored: list[Claim | bytes | int] = []
        self._rebuilt: dict[int, Claim] = {}
        self._kept_chunks: list[tuple[int, dict[str, bytes | memoryview]]] = []  # columns as read back (to_parts)
        self._dates: dict[Any, Any] = {}  # one shared object per distinct date: corpora repeat a few hundred
        self.columns: dict[str, list[Any]] = {path: [] for path in INDEXED_FIELDS}
        self._wire_columns()
        # where bulk-loaded claims stand: (document, line index); YAML claims keep theirs in Corpus.origins
        self._origin_docs: list[Any] = []
        self._origin_doc = array("i")
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
        position = len(self._stored)
        self._positions[values[_ID]] = position
        self._stored.append(stored)
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
    ) -> None:
        """Append bulk-loaded claims given as columns (ROW_FIELDS paths, `row_of` values; the caller checks
        their ids are new and distinct). `shared`: their dates are already this table's (`shared`)."""
        size = len(lines)
        if not size:
            return
        start = len(self._stored)
        for path, column in zip(ROW_FIELDS, self._row_columns, strict=True):
            column.extend(columns[path])
        if not shared:  # rows from elsewhere: one object per date in this table
            column = self.columns["said_on"]
            tail = column[start:]
            canonical = {id(v): self._shared_date(v) for v in {id(v): v for v in tail}.values()}
            column[start:] = map(canonical.__getitem__, map(id, tail))
        self._positions.update(zip(columns["id"], range(start, start + size), strict=True))
        self._stored.extend(lines)
        if not self._origin_docs or self._origin_docs[-1] is not doc:
            self._origin_docs.append(doc)
        self._origin_doc.extend(repeat(len(self._origin_docs) - 1, size))
        self._origin_line.extend(line_indices)

    @property
    def shared(self) -> dict[Any, Any]:
        """For `row_of`: the dates and lists of rows made for this table, one object per value."""
        return self._dates

    def _wire_columns(self) -> None:
        self._row_columns = [self.columns[path] for path in ROW_FIELDS]

    def _shared_date(self, date: Any) -> Any:
        return shared_date(self._dates, date)

    def to_parts(self) -> dict[str, bytes | memoryview]:
        """The table as data to keep between runs (model/encoding.py), without the JSON lines (they are
        in the user's files, where `offsets` says) and without its origin documents (the caller keeps those).

        Columns are kept in chunks of consecutive claims. A table read back from parts keeps their
        bytes, so after claims were appended only the new claims' columns are encoded again."""
        chunks = list(self._kept_chunks)
        done = sum(size for size, _ in chunks)
        if done < len(self):
            # the columns themselves when nothing is kept yet: slices would copy every column at once
            new = self.columns if not done else {p: c[done:] for p, c in self.columns.items()}
            chunks.append((len(self) - done, encode_columns(new)))
        if len(chunks) > MAX_CHUNKS:
            chunks = [(len(self), encode_columns(self.columns))]
        stored = self._stored
        held = compress(range(len(stored)), map(isinstance, stored, repeat(Claim)))  # YAML claims: objects
        objects = [[p, stored[p].model_dump(mode="json")] for p in held]  # type: ignore[union-attr]
        return {
            **{f"{i}:{name}": data for i, (_, encoded) in enumerate(chunks) for name, data in encoded.items()},
            "chunks": to_json([size for size, _ in chunks]),
            "objects": to_json(objects),
            "origin_doc": self._origin_doc.tobytes(),
            "origin_line": self._origin_line.tobytes(),
            "offsets": array("q", [v if type(v) is int else -1 for v in stored]).tobytes(),
        }

    @classmethod
    def from_parts(cls, parts: dict[str, memoryview], origin_docs: list[Any]) -> ClaimTable:
        """A table from `to_parts`; raises EncodingError on anything else."""
        table = cls()
        sizes = from_json(part_named(parts, "chunks"))
        if not (isinstance(sizes, list) and all(type(size) is int and size > 0 for size in sizes)):
            raise EncodingError("unreadable chunk sizes")
        for i, chunk_size in enumerate(sizes):
            prefix = f"{i}:"
            chunk: dict[str, bytes | memoryview] = {
                name.removeprefix(prefix): data for name, data in parts.items() if name.startswith(prefix)
            }
            for path, column in decode_columns(chunk, INDEXED_FIELDS, chunk_size, table._shared_date).items():
                if i:
                    table.columns[path].extend(column)
                else:  # the decoded list itself: a copy of a million values costs more than reading them
                    table.columns[path] = column
            table._kept_chunks.append((chunk_size, chunk))
        table._wire_columns()
        size = sum(sizes)
        ids = table.columns["id"]
        table._positions = dict(zip(ids, range(size), strict=True))
        if len(table._positions) != size:
            raise EncodingError("duplicate ids")
        offsets = array("q")
        offsets.frombytes(part_named(parts, "offsets"))
        if len(offsets) != size:
            raise EncodingError("offsets do not match the claims")
        table._stored = list(offsets)
        objects = from_json(part_named(parts, "objects"))
        try:
            for position, fields in objects:
                if type(position) is not int or not 0 <= position < size:
                    raise IndexError(position)
                table._stored[position] = Claim.model_validate(fields)
        except (ValueError, TypeError, IndexError) as exc:
            raise EncodingError("a claim object that does not validate") from exc
        table._origin_doc.frombytes(part_named(parts, "origin_doc"))
        table._origin_line.frombytes(part_named(parts, "origin_line"))
        if not len(table._origin_doc) == len(table._origin_line) == size:
            raise EncodingError("origins do not match the claims")
        if any(not -1 <= doc < len(origin_docs) for doc in set(table._origin_doc)):
            raise EncodingError("an origin document past the list")
        table._origin_docs = origin_docs
        return table

    @property
    def origin_documents(self) -> list[Any]:
        return self._origin_docs

    def position(self, claim_id: str) -> int:
        return self._positions[claim_id]

    def at(self, position: int) -> Claim:
        """The claim at a position, rebuilt once and then kept (it is about to be used again)."""
        stored = self._stored[position]
        if isinstance(stored, Claim):
            return stored
        claim = self._rebuilt.get(position)
        if claim is None:
            claim = self._rebuilt[position] = self._rebuild(position, stored)
        return claim

    def _peek(self, position: int) -> Claim:
        stored = self._stored[position]
        if isinstance(stored, Claim):
            return stored
        return self._rebuilt.get(position) or self._rebuild(position, stored)

    def _rebuild(self, position: int, stored: bytes | int) -> Claim:
        """The claim from its JSON line: kept, or read again from its file (checked against the columns read
        at load, so a file changed since is an error, never another claim)."""
        if isinstance(stored, bytes):
            return Claim.model_validate_json(stored)
        doc = self._origin_docs[self._origin_doc[position]]
        try:
            with open(doc.file, "rb") as handle:
                handle.seek(stored)
                line = handle.readline(MAX_LINE_READ)
            claim = Claim.model_validate_json(line[:-1] if line.endswith(b"\n") else line)
        except (OSError, ValueError):
            claim = None
        if claim is None or row_of(claim) != tuple(column[position] for column in self._row_columns):
            raise InputError(
                doc.location((self._origin_line[position],)),
                "the file changed while factcheck read it; run again once it is written",
            )
        return claim

    def origin(self, claim_id: str) -> tuple[Any, tuple[int]] | None:
        position = self._positions.get(claim_id)
        if position is None or self._origin_doc[position] < 0:
            return None
        return self._origin_docs[self._origin_doc[position]], (self._origin_line[position],)

    def __getitem__(self, claim_id: str) -> Claim:
        return self.at(self._positions[claim_id])

    def isdisjoint(self, claim_ids: Iterable[str]) -> bool:
        """Whether none of `claim_ids` is in the table (one C-level pass)."""
        return self._positions.keys().isdisjoint(claim_ids)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._positions

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._stored)

    def values(self) -> Iterator[Claim]:  # type: ignore[override]
        """Every claim in order, rebuilt without being kept: a full scan must not hold them all."""
        return (self._peek(position) for position in range(len(self._stored)))
