"""Spreadsheet rows into claims: a CSV file and a map (YAML) that says which column gives which claim field,
or a constant for every row. docs/import.md documents the map with an example.

    delimiter: ","                      # optional: "," (default), ";" or "\\t"
    fields:
      quote: Statement                  # a column, by its header
      speaker: Speaker                  # a name or an entity id; a new name is declared as an entity
      speaker.kind: {value: person}     # a constant for every row
      said_on: {column: Date, format: "%d/%m/%Y"}   # a date in another form (strptime)
      quote_kind: {value: direct}
      source.outlet: Outlet
      source.url: Link
      topics: {column: Tags, split: ";"}

Every error names the CSV file, the row's line and the column (`file:line:col: ...`), or the map's line
for a constant, and says how to fix it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from factcheck.errors import InputError, InputErrors, Location, UnreadableInput
from factcheck.ingest.claims_file import IMPORTED_PREDICATE, ClaimsFile, short_hash, slug
from factcheck.load.files import display_name, read_limited
from factcheck.load.validation import did_you_mean, require_mapping, validate
from factcheck.load.yaml_document import MAX_FILE_BYTES, YamlDocument, read_yaml
from factcheck.model.claim import Claim, Qualifiers
from factcheck.model.entity import EntityKind
from factcheck.model.source import ID_PATTERN, Source

ENTITY_FIELDS = ("speaker", "subject", "object", "qualifiers.place")
LIST_FIELDS = ("topics", "qualifiers.means", "qualifiers.parties")
DATE_FIELDS = ("said_on", "source.published")
FIELDS = (
    "id",
    "speaker",
    "speaker.kind",
    "speaker.role",
    "source",
    "source.outlet",
    "source.title",
    "source.url",
    "source.published",
    "said_on",
    "quote",
    "quote_kind",
    "subject",
    "subject.kind",
    "predicate",
    "object",
    "object.kind",
    "value",
    "polarity",
    "status",
    "topics",
    "note",
    *(f"qualifiers.{name}" for name in Qualifiers.model_fields),  # every qualifier, as the model has them
)
REQUIRED = ("quote", "speaker", "said_on", "quote_kind")


class FieldSpec(BaseModel):
    """Where a field's value comes from: a column (by header), or a constant `value`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str | None = Field(default=None, min_length=1, description="the column's header")
    value: str | int | float | bool | list[str] | None = Field(default=None, description="a constant")
    split: str | None = Field(default=None, min_length=1, description="separator of a list in one cell, e.g. ';'")
    format: str | None = Field(default=None, min_length=2, description="strptime format of a date, e.g. %d/%m/%Y")

    @model_validator(mode="before")
    @classmethod
    def _header(cls, value: Any) -> Any:
        return {"column": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_source(self) -> FieldSpec:
        if (self.column is None) == (self.value is None):
            raise ValueError("give either 'column' (a header) or 'value' (a constant), not both or neither")
        return self


class CsvMap(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    delimiter: str = Field(default=",", min_length=1, max_length=1)
    fields: dict[str, FieldSpec]


@dataclass(frozen=True)
class _Cell:
    text: str
    location: Location
    what: str  # "column 'Date'" or "the map's constant"


def load_map(path: Path) -> tuple[CsvMap, YamlDocument]:
    doc = read_yaml(path, display_name(path))
    top = require_mapping(doc, doc.data, (), "the import map")
    mapping = validate(CsvMap, top, doc, (), "import map")
    errors = [
        doc.key_error(
            ("fields", name),
            f"unknown field '{name}'" + (did_you_mean(name, FIELDS) or f"; one of: {', '.join(FIELDS)}"),
        )
        for name in mapping.fields
        if name not in FIELDS
    ]
    missing = [name for name in REQUIRED if name not in mapping.fields]
    if missing:
        errors.append(
            doc.key_error(("fields",), f"the map gives no {', '.join(missing)}; add each as a column or {{value: ...}}")
        )
    if "source" not in mapping.fields and "source.outlet" not in mapping.fields:
        errors.append(doc.key_error(("fields",), "the map gives no source; map 'source' (an id) or 'source.outlet'"))
    if errors:
        raise InputErrors(errors)
    return mapping, doc


def import_csv(path: Path, map_path: Path, into: ClaimsFile) -> int:
    """Add a claim for every row; returns how many. Raises InputErrors, one per problem, located."""
    mapping, map_doc = load_map(map_path)
    name = display_name(path)
    try:
        text = read_limited(path, MAX_FILE_BYTES).decode("utf-8-sig")
    except OSError as exc:
        raise UnreadableInput(Location(name), f"cannot read file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UnreadableInput(Location(name), "file is not valid UTF-8; export the sheet as CSV UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(Location(name), "the file is empty; the first row must name the columns") from None
    except csv.Error as exc:
        raise InputError(Location(name, reader.line_num or 1), f"not readable as CSV: {exc}") from None
    columns = {h.strip(): i for i, h in enumerate(header)}
    errors = [
        map_doc.error(
            ("fields", field, "column") if not isinstance(_raw(map_doc, field), str) else ("fields", field),
            f"column '{spec.column}' is not in {name}'s header{did_you_mean(spec.column, list(columns))}; "
            f"its columns: {', '.join(columns)}",
        )
        for field, spec in mapping.fields.items()
        if spec.column is not None and spec.column not in columns
    ]
    if errors:
        raise InputErrors(errors)
    count = 0
    seen: dict[str, int] = {}
    line = 2
    while True:
        start = line
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(InputError(Location(name, start), f"not readable as CSV: {exc}; check its quotes"))
            break
        line = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue  # a blank row
        try:
            claim = _row_claim(name, start, row, columns, mapping, map_doc, into)
        except InputError as exc:
            errors.append(exc)
            continue
        if claim["id"] in seen:
            errors.append(
                InputError(
                    Location(name, start),
                    f"claim id '{claim['id']}' repeats the row on line {seen[claim['id']]}; "
                    "give each row its own id, or remove the duplicate row",
                )
            )
            continue
        seen[claim["id"]] = start
        into.add_claim(claim, Location(name, start))
        count += 1
    if errors:
        raise InputErrors(errors)
    return count


def _raw(doc: YamlDocument, field: str) -> Any:
    fields = doc.data.get("fields") if isinstance(doc.data, dict) else None
    return fields.get(field) if isinstance(fields, dict) else None


def _cells(
    name: str, line: int, row: list[str], columns: dict[str, int], mapping: CsvMap, map_doc: YamlDocument
) -> dict[str, _Cell | list[str] | Any]:
    cells: dict[str, Any] = {}
    for field, spec in mapping.fields.items():
        if spec.column is not None:
            index = columns[spec.column]
            text = row[index].strip() if index < len(row) else ""
            if text:
                cells[field] = _Cell(text, Location(name, line, index + 1), f"column '{spec.column}'")
        elif spec.value is not None:
            where = map_doc.location(("fields", field, "value"))
            cells[field] = (
                spec.value if isinstance(spec.value, list) else _Cell(str(spec.value), where, "the map's value")
            )
    return cells


def _row_claim(
    name: str,
    line: int,
    row: list[str],
    columns: dict[str, int],
    mapping: CsvMap,
    map_doc: YamlDocument,
    into: ClaimsFile,
) -> dict[str, Any]:
    cells = _cells(name, line, row, columns, mapping, map_doc)
    row_location = Location(name, line)
    for field in REQUIRED:
        if field not in cells:
            spec = mapping.fields[field]
            where = Location(name, line, columns[spec.column] + 1) if spec.column in columns else row_location
            raise InputError(where, f"{field} is empty in column '{spec.column}'; fill it in or drop the row")

    def text(field: str) -> str | None:
        cell = cells.get(field)
        return cell.text if isinstance(cell, _Cell) else None

    def fail(field: str, message: str) -> InputError:
        cell = cells.get(field)
        where = cell.location if isinstance(cell, _Cell) else row_location
        what = f"{cell.what} ({field})" if isinstance(cell, _Cell) else field
        return InputError(where, f"{what}: {message}")

    def date(field: str) -> str | None:
        value = text(field)
        spec = mapping.fields.get(field)
        if value is None or spec is None or spec.format is None:
            return value
        try:
            return dt.datetime.strptime(value, spec.format).date().isoformat()
        except ValueError:
            raise fail(
                field, f"'{value}' does not match the date format '{spec.format}'; fix the cell or the map's format"
            ) from None

    def kind(field: str) -> EntityKind:
        value = text(f"{field}.kind")
        if value is None:
            return EntityKind.other
        try:
            return EntityKind(value.lower())
        except ValueError:
            raise fail(
                f"{field}.kind", f"'{value}' is not an entity kind; one of: {', '.join(k.value for k in EntityKind)}"
            ) from None

    def entity(field: str) -> str | None:
        value = text(field)
        if value is None:
            return None
        return into.entity(value, kind(field), text(f"{field}.role"))

    def listed(field: str) -> list[str]:
        cell = cells.get(field)
        if isinstance(cell, list):
            return [str(v) for v in cell]
        if isinstance(cell, _Cell):
            separator = mapping.fields[field].split
            return [p.strip() for p in (cell.text.split(separator) if separator else [cell.text]) if p.strip()]
        return []

    speaker = entity("speaker")
    said_on = date("said_on")
    quote = " ".join((text("quote") or "").split())
    source = text("source")
    if source is None:
        outlet = text("source.outlet")
        if outlet is None:
            raise fail("source.outlet", "no outlet for this row; fill in the outlet or map 'source' to a source id")
        published = date("source.published") or said_on
        title = text("source.title") or f"{outlet}, {published}"
        url = text("source.url")
        if url and not re.match(r"https?://\S+$", url):
            raise fail("source.url", f"'{url}' is not a web address; write it as http://... or https://...")
        _check_source({"id": "s", "outlet": outlet, "title": title, "url": url, "published": published}, fail)
        source = into.source(outlet, title, published or "", url)
    assert speaker is not None and said_on is not None
    claim: dict[str, Any] = {
        "id": "",
        "speaker": speaker,
        "source": source,
        "said_on": said_on,
        "quote": quote,
        "quote_kind": text("quote_kind"),
        "subject": entity("subject") or speaker,
        "predicate": text("predicate") or IMPORTED_PREDICATE,
    }
    if text("object"):
        claim["object"] = entity("object")
    if text("value") is not None:
        claim["value"] = _literal(text("value") or "")
    for field in ("polarity", "status", "note"):
        if text(field) is not None:
            claim[field] = text(field)
    if listed("topics"):
        claim["topics"] = [slug(t) or t for t in listed("topics")]
    qualifiers: dict[str, Any] = {}
    for field in ("count", "condition", "purpose", "frequency", "scope", "modality"):
        if text(f"qualifiers.{field}") is not None:
            qualifiers[field] = (
                _literal(text(f"qualifiers.{field}") or "") if field == "count" else text(f"qualifiers.{field}")
            )
    if text("qualifiers.place"):
        qualifiers["place"] = entity("qualifiers.place")
    if listed("qualifiers.means"):
        qualifiers["means"] = listed("qualifiers.means")
    if listed("qualifiers.parties"):
        qualifiers["parties"] = [into.entity(p) for p in listed("qualifiers.parties")]
    if qualifiers:
        claim["qualifiers"] = qualifiers
    given_id = text("id")
    claim["id"] = (
        (given_id if re.match(ID_PATTERN, given_id) else slug(given_id) or f"row-{short_hash(given_id)}")
        if given_id
        else f"{slug(speaker, 24) or 'claim'}-{short_hash(quote, speaker, said_on, source)}"
    )
    try:
        Claim.model_validate(claim)
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(p) for p in problem["loc"])
        mapped = field if field in mapping.fields else next((f for f in mapping.fields if field.startswith(f)), field)
        raise fail(mapped, f"{problem['msg'].removeprefix('Value error, ')}; fix the cell (or the map)") from None
    return claim


def _check_source(declared: dict[str, Any], fail: Any) -> None:
    try:
        Source.model_validate(declared)
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = f"source.{problem['loc'][0]}"
        raise fail(field, f"{problem['msg'].removeprefix('Value error, ')}; fix the cell (or the map)") from None


_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")


def _literal(text: str) -> str | int | float:
    """A number when the cell holds one (counts, figures; "3,000,000" with thousands separators), else the
    text ("1,5" stays text: it is not clear which number it is)."""
    cleaned = text.replace(",", "") if _THOUSANDS.fullmatch(text.strip()) else text.strip()
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        return float(cleaned)
    except ValueError:
        return text
