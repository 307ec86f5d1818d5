"""Entities of a JSON Lines file vouched for as columns, as claims are (columnar.py): pyarrow's JSON reader
parses the lines against one strict schema, the checks pydantic makes run over the columns, and the lines it
vouches for are kept as they are (model/entity_table.py), validated when a run asks for them.

It only ever certifies: a line it is not sure of (what columnar.py leaves to pydantic, and a `part_of` given
as a mapping, a shape outside the schema) takes the per-line path, so entities and errors are exactly those
of the per-line loader (tests/test_entity_lines.py compares the two)."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from factcheck.load.columnar import candidates, matches, no_null_items, parse, without_null
from factcheck.model.entity import EntityKind
from factcheck.model.entity_table import RELATIONS, Links
from factcheck.model.source import ID_PATTERN

_TEXT = pa.string()
_TEXTS = pa.list_(pa.string())
SCHEMA = pa.schema(
    [
        ("id", _TEXT),
        ("name", _TEXT),
        ("kind", _TEXT),
        ("aliases", _TEXTS),
        ("role", _TEXT),
        ("affiliation", _TEXT),
        ("is_a", _TEXTS),
        ("part_of", _TEXTS),  # plain ids; a mapping (`{"of": ..., "disputed": true}`) is left to pydantic
        ("note", _TEXT),
    ]
)
_PARSE = pj.ParseOptions(explicit_schema=SCHEMA, unexpected_field_behavior="error")
_MAPPINGS = (b'"of"',)  # the key of a `part_of` mapping: lines holding it go the per-line way


@dataclass
class CertifiedEntities:
    """Of a block's lines, which hold an entity vouched for here (`valid`), their ids in line order, and the
    links of those that have any."""

    valid: list[bool]
    ids: list[str] = field(default_factory=list)
    # per relation, the links of the entities that have any, by their index in `ids`
    links: dict[str, dict[int, list[str]]] = field(default_factory=dict)

    def links_of(self, first: int, end: int) -> dict[str, Links]:
        """The links of the entities `ids[first:end]`, by id."""
        ids = self.ids
        return {
            relation: {ids[k]: targets for k, targets in found.items() if first <= k < end}
            for relation, found in self.links.items()
        }


def certify_entities(raws: list[bytes]) -> CertifiedEntities:
    """Read the lines `raws` (no line breaks) as entities, as far as this reader can vouch for them."""
    block = b"\n".join(raws)
    scan = candidates(raws, block, _MAPPINGS)
    table, rows_of = parse(raws, scan.lines, block if len(scan.lines) == len(raws) else None, _PARSE, _MAPPINGS)
    certified = CertifiedEntities([False] * len(raws))
    if table is None or not table.num_rows:
        return certified
    columns = {name: table.column(name).combine_chunks() for name in SCHEMA.names}
    mask = pc.and_(_checks(columns, table.num_rows), without_null(raws, block, scan, table, rows_of))
    del block
    for line in compress(rows_of, mask.to_pylist()):
        certified.valid[line] = True
    ids = columns["id"].filter(mask)
    certified.ids = ids.to_pylist()
    for relation in RELATIONS:
        values = columns[relation].filter(mask)
        if relation == "affiliation":
            given = pc.is_valid(values)
        else:
            given = pc.fill_null(pc.greater(pc.list_value_length(values), 0), False)
        at = np.flatnonzero(given.to_numpy(zero_copy_only=False)).tolist()
        found = values.filter(given).to_pylist()
        certified.links[relation] = dict(
            zip(at, [[v] for v in found] if relation == "affiliation" else found, strict=True)
        )
    return certified


def _checks(columns: dict[str, pa.Array], size: int) -> pa.Array:
    """Per row, whether pydantic would accept every value read."""
    mask = pc.and_(pc.is_valid(columns["id"]), pc.is_valid(columns["name"]))
    mask = pc.and_(mask, pc.is_valid(columns["kind"]))
    mask = pc.and_(mask, matches(columns["id"], ID_PATTERN))
    mask = pc.and_(mask, pc.greater(pc.utf8_length(columns["name"]), 0))
    mask = pc.and_(mask, pc.is_in(columns["kind"], value_set=pa.array([k.value for k in EntityKind])))
    mask = pc.and_(mask, pc.fill_null(matches(columns["affiliation"], ID_PATTERN), True))
    for name in ("aliases", "is_a", "part_of"):
        mask = pc.and_(mask, no_null_items(columns[name]))
    parts = columns["part_of"]
    flat = pc.list_flatten(parts)
    if len(flat):  # each plain id is a containment edge's `of`, which has a pattern
        fits = pc.fill_null(matches(flat, ID_PATTERN), False)
        if not pc.all(fits).as_py():
            ok = np.ones(size, np.bool_)
            ok[pc.list_parent_indices(parts).filter(pc.invert(fits)).to_numpy()] = False
            mask = pc.and_(mask, pa.array(ok))
    return pc.fill_null(mask, False)
