"""Load claim corpora: YAML files with `sources:`, `entities:` and `claims:` sections, possibly spread
over many files that share entities and sources."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from itertools import accumulate, chain, repeat
from operator import add
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from factcheck.errors import InputError, InputErrors, Location, UnreadableInput
from factcheck.load.files import CLAIM_SUFFIXES, content_digest, display_name, open_regular, yaml_files
from factcheck.load.json_line import MAX_LINE_BYTES, fast_model, read_item
from factcheck.load.validation import collect, did_you_mean, require_list, require_mapping, validate
from factcheck.load.yaml_document import Positioned, YamlDocument, read_yaml
from factcheck.model.claim import Claim, Qualifiers
from factcheck.model.claim_table import ROW_FIELDS, Row, row_id, row_of
from factcheck.model.corpus import Corpus
from factcheck.model.entity import Entity
from factcheck.model.entity_table import RELATIONS, EntityTable, entity_links
from factcheck.model.source import Source
from factcheck.model.vocabulary import Term, TermKind

if TYPE_CHECKING:
    from factcheck.load.columnar import BlockLines, SeenFields

SECTIONS: dict[str, type[Source] | type[Entity] | type[Claim] | type[Term]] = {
    "sources": Source,
    "entities": Entity,
    "vocabulary": Term,
    "claims": Claim,
}
SINGULAR = {"sources": "source", "entities": "entity", "vocabulary": "term", "claims": "claim"}


class Undeclared(StrEnum):
    """What an undeclared predicate is: an error (the default: a typo would silently remove a tension), or a
    warning, for a corpus in progress."""

    error = "error"
    warn = "warn"


def load_corpus(paths: list[Path], undeclared: Undeclared = Undeclared.error) -> Corpus:
    corpus = Corpus()
    errors: list[InputError] = []
    for file in yaml_files(paths, "claims", CLAIM_SUFFIXES):
        try:
            if file.suffix == ".jsonl":
                add_json_lines(corpus, file, errors)
            else:
                add_document(corpus, read_yaml(file, display_name(file)), errors)
        except InputError as exc:
            collect(errors, exc)
    if not errors:
        check_references(corpus, errors)
    if not errors and undeclared is Undeclared.error:
        errors += check_vocabulary(corpus)
    if errors:
        raise InputErrors(errors)
    return corpus


def add_document(corpus: Corpus, doc: YamlDocument, errors: list[InputError]) -> None:
    if doc.data is None:
        raise doc.error((), "file is empty; a corpus file holds 'sources:', 'entities:' and/or 'claims:'")
    sections = require_mapping(doc, doc.data, (), "a corpus file")
    for key, items in sections.items():
        if key not in SECTIONS:
            hint = did_you_mean(key, list(SECTIONS)) or "; expected 'sources', 'entities', 'vocabulary' or 'claims'"
            collect(errors, doc.key_error((key,), f"unknown section '{key}'{hint}"))
            continue
        for index, item in enumerate(require_list(doc, items, (key,), key) if items is not None else []):
            try:
                _add_item(corpus, doc, key, index, item)
            except InputError as exc:
                collect(errors, exc)


class JsonLines:
    """Positions in a JSON Lines file: one claim per line, so errors point at the line."""

    def __init__(self, path: str, file: Path | None = None, section: str = "claims") -> None:
        self.path = path
        self.file = file  # where the lines are read again from (run_cache.py)
        self.section = section
        self.size, self.digest = 0, content_digest().hexdigest()  # of the bytes the claims were read from
        self.breaks = 0  # line breaks in those bytes: the index of the line after them

    def location(self, path: tuple[Any, ...] = ()) -> Location:
        return Location(self.path, (path[0] + 1) if path else 1, 1)

    def error(self, path: tuple[Any, ...], message: str) -> InputError:
        return InputError(self.location(path), message)

    key_error = error


BLOCK_BYTES = 16 * 2**20
MAX_ERRORS = 50  # per bulk file: past that, more of the same only hides the first ones


def bulk_section(file: Path) -> str:
    """What a JSON Lines file holds, by its name: `entities.jsonl`, `gazetteer.entities.jsonl` hold
    entities, `sources.jsonl` sources, `vocabulary.jsonl` terms, any other `.jsonl` claims."""
    stem = file.stem.lower()
    for section in ("entities", "sources", "vocabulary"):
        if stem.endswith(section):
            return section
    return "claims"


def add_json_lines(corpus: Corpus, file: Path, errors: list[InputError]) -> None:
    """The bulk format: faster to read than YAML and light on memory (no per-field positions). Claims are
    read as columns (columnar.py), on every core."""
    lines = JsonLines(display_name(file), file.resolve(), bulk_section(file))
    digest = content_digest()
    try:
        with open_regular(file) as handle:
            size = os.fstat(handle.fileno()).st_size
            columns = COLUMNAR and size >= COLUMNAR_BYTES and lines.section in ("claims", "entities")
            first, rest = _stream(corpus, lines, handle, digest, errors, columns)
            if len(errors) < MAX_ERRORS:
                add_lines(corpus, lines, [rest], first, errors, [size - len(rest)])
            corpus.claims.settle()  # the blocks' dictionaries freed
    except OSError as exc:
        raise UnreadableInput(lines.location(), f"cannot read file: {exc.strerror or exc}") from None
    lines.size, lines.digest, lines.breaks = size, digest.hexdigest(), first


def _stream(
    corpus: Corpus,
    lines: JsonLines,
    handle: BinaryIO,
    digest: Any,
    errors: list[InputError],
    columns: bool,
) -> tuple[int, bytes]:
    """Add the lines, read in blocks so a 300 MB file is never held twice (bytes + lines); claims and
    entities as columns when `columns`. Returns the next line's index and an unfinished last line."""
    first, rest, start = 0, b"", 0  # start: where `rest` begins in the file
    again = 0  # bytes the next read reads a second time (digested already)
    add = add_entity_lines if columns and lines.section == "entities" else add_lines
    seen = None  # the fields the file's claims have given so far (columnar.py)
    while block := handle.read(BLOCK_BYTES):
        digest.update(memoryview(block)[again:] if again else block)
        chunk, again = rest + block if rest else block, 0
        cut = chunk.rfind(b"\n") + 1
        rest = chunk[cut:]
        if cut and columns and lines.section == "claims":  # the block's lines found by numpy, never split
            from factcheck.load.columnar import BlockLines, SeenFields

            seen = SeenFields() if seen is None else seen
            block_lines = BlockLines(chunk[: cut - 1])
            del chunk
            add_columns(corpus, lines, block_lines, first, errors, block_lines.starts[:-1] + start, seen)
            first += len(block_lines)
            start += cut
            if 0 < len(rest) <= MAX_LINE_BYTES:  # the unfinished line is read again with the next block, which
                again, rest = len(rest), b""  # is then not copied to join it
                handle.seek(-again, os.SEEK_CUR)
        elif cut:
            complete = chunk[: cut - 1].split(b"\n")
            del chunk
            offsets = line_offsets(complete, start)
            add(corpus, lines, complete, first, errors, offsets)
            first += len(complete)
            start += cut
        if len(rest) > MAX_LINE_BYTES:  # no line break in sight: the file is not read on, nor held whole
            read_item(rest, lines.path, first)  # raises: the line is too long
        if len(errors) >= MAX_ERRORS:
            break
    return first, rest


COLUMNAR = True  # claims and entities files read as columns (columnar.py); off, every line takes the per-line path
COLUMNAR_BYTES = 4 * 2**20  # below this, importing pyarrow (0.4 s, 50 MB) costs more than it saves


def line_offsets(raws: list[bytes], start: int) -> list[int]:
    """Where each line starts in its file, the first at `start` (lines split at single line breaks)."""
    return list(accumulate(map(add, map(len, raws[:-1]), repeat(1)), initial=start))


def add_columns(
    corpus: Corpus,
    lines: JsonLines,
    raws: list[bytes] | BlockLines,
    first: int,
    errors: list[InputError],
    offsets: Any,
    seen: SeenFields | None = None,
) -> None:
    """Add a block of JSON lines of claims, the first being line `first` (0-based), read as columns; the
    lines the columnar reader does not vouch for take the per-line path, in order, so ids, errors and
    locations are exactly those of a line-by-line load. `offsets`: where each line starts in its file (a
    numpy array, or a list). `seen`: the fields the file's blocks before gave (columnar.py)."""
    import numpy as np

    from factcheck.load.columnar import certify  # pyarrow: imported only for claims in JSON Lines

    certified = certify(raws, corpus.claims.shared, seen)
    valid, columns = certified.valid, corpus.claims.adopt(certified.columns)
    taken = 0
    for start, end, ok in _runs(valid, errors):
        if not ok:
            add_lines(corpus, lines, raws[start:end], first + start, errors, list(map(int, offsets[start:end])))
        else:
            run = end - start
            part = columns if run == len(raws) else {path: c[taken : taken + run] for path, c in columns.items()}
            taken += run
            indices = np.arange(first + start, first + end)  # (an array: no Python int made for each)
            if not corpus.claims.extend_new_columns(part, offsets[start:end], lines, indices, shared=True):
                # a repeated id: the ordinary path reports it where a sequential load would
                rows = list(zip(*(part[path] for path in ROW_FIELDS), strict=True))
                starts = list(map(int, offsets[start:end]))
                _add_rows(corpus, lines, raws[start:end], first + start, rows, errors, starts)


def _runs(valid: list[bool], errors: list[InputError]) -> Iterator[tuple[int, int, bool]]:
    """The runs of lines a columnar reader vouched for or not, in order, as (start, end, vouched): until the
    block ends or the errors reach their limit."""
    start = 0
    while start < len(valid) and len(errors) < MAX_ERRORS:
        ok = valid[start]
        try:
            end = valid.index(not ok, start)
        except ValueError:
            end = len(valid)
        yield start, end, ok
        start = end


def add_entity_lines(
    corpus: Corpus,
    lines: JsonLines,
    raws: list[bytes],
    first: int,
    errors: list[InputError],
    offsets: Sequence[int] | None = None,
) -> None:
    """Add a block of JSON lines of entities, the first being line `first` (0-based): the lines the columnar
    reader vouches for kept as lines (EntityTable), the others through the per-line path, in order, so
    entities, errors and locations are exactly those of a line-by-line load. (`offsets`: as `add_lines`
    takes them; an entity keeps its line's index, not where it starts.)"""
    from factcheck.load.entity_lines import certify_entities  # pyarrow: imported only for large files

    certified = certify_entities(raws)
    if not isinstance(corpus.entities, EntityTable):
        corpus.entities = EntityTable(corpus.entities.values())
    table, taken = corpus.entities, 0
    for start, end, ok in _runs(certified.valid, errors):
        if ok:
            ids = certified.ids[taken : taken + end - start]
            links = certified.links_of(taken, taken + end - start)
            taken += end - start
            if table.add_lines(ids, raws[start:end], links):
                paths = zip(range(first + start, first + end))  # (a line's path: a 1-tuple of its index)
                origins = zip(repeat(lines), paths)
                corpus.origins.update(zip(map("entity:".__add__, ids), origins, strict=False))
                continue
        add_lines(corpus, lines, raws[start:end], first + start, errors)  # (a repeated id: reported there)


def _add_rows(
    corpus: Corpus,
    lines: JsonLines,
    raws: list[bytes],
    first: int,
    rows: Sequence[Row | None] | None,
    errors: list[InputError],
    offsets: list[int],
) -> None:
    """Add lines already read (`rows`, one per line, None for a line not read); anything else takes the
    ordinary path, which also reports errors and duplicate ids as a sequential load would."""
    if rows is None or len(rows) != len(raws):
        add_lines(corpus, lines, raws, first, errors, offsets)
        return
    batch = _Batch(corpus, lines)
    for k, (raw, row) in enumerate(zip(raws, rows, strict=True)):
        if row is None or not batch.take(row, offsets[k], first + k):
            batch.flush()  # keep the order: what went before must be in the table first
            add_lines(corpus, lines, [raw], first + k, errors, offsets[k : k + 1])
            if len(errors) >= MAX_ERRORS:
                return
    batch.flush()


class _Batch:
    """Valid new claims gathered to be added column by column (ClaimTable.extend)."""

    def __init__(self, corpus: Corpus, lines: JsonLines) -> None:
        self.table, self.lines = corpus.claims, lines
        self.rows: list[Row] = []
        self.raws: list[bytes | int] = []
        self.indices: list[int] = []
        self.ids: set[str] = set()

    def take(self, row: Row, raw: bytes | int, index: int) -> bool:
        """`raw`: the line, or where it starts in its file."""
        # False for an id already seen: the ordinary path then reports the duplicate
        claim_id = row_id(row)
        if claim_id in self.ids or claim_id in self.table:
            return False
        self.ids.add(claim_id)
        self.rows.append(row)
        self.raws.append(raw)
        self.indices.append(index)
        return True

    def flush(self) -> None:
        self.table.extend(self.rows, self.raws, self.lines, self.indices)
        self.rows, self.raws, self.indices = [], [], []
        self.ids.clear()


def add_lines(
    corpus: Corpus,
    lines: JsonLines,
    raws: list[bytes],
    first_index: int,
    errors: list[InputError],
    offsets: Sequence[int] | None = None,
) -> None:
    """Add the items of JSON lines (claims, or what `lines.section` says), the first being line
    `first_index` (0-based) of its file. With `offsets` (where each line starts in the file), a claim
    keeps that, not its line."""
    section = lines.section
    model_type, table = SECTIONS[section], getattr(corpus, section)
    batch = _Batch(corpus, lines)
    shared, origins, kind = corpus.claims.shared, corpus.origins, SINGULAR[section]
    for k, raw in enumerate(raws):
        index = first_index + k
        if not raw or raw.isspace():  # (what `strip` takes: ASCII whitespace)
            continue
        model = fast_model(model_type, raw)
        if isinstance(model, Claim):
            if batch.take(row_of(model, shared), raw if offsets is None else offsets[k], index):
                continue
        elif model is not None and model.id not in table:
            table[model.id] = model
            origins[f"{kind}:{model.id}"] = (lines, (index,))
            continue
        batch.flush()
        try:
            item = read_item(raw, lines.path, index)
        except InputError as exc:
            collect(errors, exc)
            continue
        try:
            _add_item(corpus, lines, section, index, item, path=(index,))
        except InputError as exc:
            collect(errors, exc)
        if len(errors) >= MAX_ERRORS:
            return
    batch.flush()


def _add_item(
    corpus: Corpus, doc: Positioned, section: str, index: int, item: Any, path: tuple[Any, ...] | None = None
) -> None:
    path = path if path is not None else (section, index)
    what = SINGULAR[section]
    label = f"{what} '{item['id']}'" if isinstance(item, dict) and isinstance(item.get("id"), str) else what
    require_mapping(doc, item, path, what)
    model = validate(SECTIONS[section], item, doc, path, label)
    table: Mapping[str, Any] = getattr(corpus, section)
    if model.id in table:
        first = corpus.location(what, model.id)
        raise doc.error((*path, "id"), f"duplicate {what} id '{model.id}' (first defined at {first})")
    if isinstance(model, Claim):
        corpus.claims.add(model)
    else:
        table[model.id] = model  # type: ignore[index]
    corpus.origins[f"{what}:{model.id}"] = (doc, path)


def check_references(corpus: Corpus, errors: list[InputError]) -> None:
    def where(kind: str, item_id: str, field: str) -> Location:
        return corpus.location(kind, item_id, field)

    def need_entity(kind: str, item_id: str, field: str, ref: str | None) -> None:
        if ref is not None and ref not in corpus.entities:
            hint = did_you_mean(ref, list(corpus.entities)) or "; define it under 'entities:'"
            collect(
                errors, InputError(where(kind, item_id, field), f"{kind} '{item_id}': unknown entity '{ref}'{hint}")
            )

    named = set(chain.from_iterable(chain.from_iterable(_links(corpus.entities, r).values() for r in RELATIONS)))
    if not all(map(corpus.entities.__contains__, named)):  # entities are looked at one by one only then
        for entity in corpus.entities.values():
            need_entity("entity", entity.id, "affiliation", entity.affiliation)
            for i, parent in enumerate(entity.is_a):
                need_entity("entity", entity.id, f"is_a.{i}", parent)
            for i, edge in enumerate(entity.part_of):
                need_entity("entity", entity.id, f"part_of.{i}", edge.of)
    columns = corpus.claims.columns
    entities, sources = corpus.entities, corpus.sources
    entity_fields = ("speaker", "subject", "object", "qualifiers.place")
    if _claims_resolve(corpus):  # set differences in C: a million claims are looked at one by one only
        positions: Iterable[int] = ()  # when one of them names something unknown, to say which and where
    else:
        positions = range(len(columns["id"]))
    for position in positions:
        claim_id = columns["id"][position]  # columns: a million claims are never rebuilt here
        source = columns["source"][position]
        if source not in sources:
            hint = did_you_mean(source, list(sources)) or "; define it under 'sources:'"
            collect(
                errors,
                InputError(where("claim", claim_id, "source"), f"claim '{claim_id}': unknown source '{source}'{hint}"),
            )
        for field in entity_fields:
            ref = columns[field][position]
            if ref is not None and ref not in entities:
                need_entity("claim", claim_id, field, ref)
        for i, party in enumerate(columns["qualifiers.parties"][position]):
            need_entity("claim", claim_id, f"qualifiers.parties.{i}", party)
        for i, relay in enumerate(columns["attribution.via"][position]):
            need_entity("claim", claim_id, f"attribution.via.{i}", relay)
        restated = columns["attribution.paraphrases"][position]
        if restated is not None and restated not in corpus.claims:
            hint = did_you_mean(restated, list(corpus.claims)) or "; it names the claim whose words this restates"
            collect(
                errors,
                InputError(
                    where("claim", claim_id, "attribution.paraphrases"),
                    f"claim '{claim_id}': unknown claim '{restated}'{hint}",
                ),
            )
        translator = columns["attribution.translated.by"][position]
        if translator is not None:
            need_entity("claim", claim_id, "attribution.translated.by", translator)
    if not errors:
        _check_cycles(corpus, errors)


def _claims_resolve(corpus: Corpus) -> bool:
    """Whether every source, entity and claim the claims name exists, over distinct values only."""
    used, entities = corpus.claims.used, corpus.entities
    if not used("source") <= corpus.sources.keys():
        return False
    named: set[Any] = set()
    for field in ("speaker", "subject", "object", "qualifiers.place", "attribution.translated.by"):
        named.update(used(field))
    for field in ("qualifiers.parties", "attribution.via"):
        named.update(used(field))
    named.discard(None)
    restated = used("attribution.paraphrases")
    restated.discard(None)
    return named <= entities.keys() and all(claim in corpus.claims for claim in restated)


def check_vocabulary(corpus: Corpus) -> list[InputError]:
    """Terms must name declared terms, qualifier terms existing qualifier keys; every predicate a claim uses
    must be declared (one error per undeclared predicate: its first use, and how many claims use it)."""
    problems: list[InputError] = []
    terms = corpus.vocabulary
    for term in terms.values():
        for i, other in enumerate(term.broader):
            if other not in terms:
                problems.append(_term_error(corpus, term.id, f"broader.{i}", f"unknown term '{other}'", other))
        if term.inverse is not None and term.inverse not in terms:
            problems.append(_term_error(corpus, term.id, "inverse", f"unknown term '{term.inverse}'", term.inverse))
        for i, other in enumerate(term.opposite):
            if other not in terms:
                problems.append(_term_error(corpus, term.id, f"opposite.{i}", f"unknown term '{other}'", other))
        if term.kind is TermKind.qualifier and term.id not in Qualifiers.model_fields:
            hint = (
                did_you_mean(term.id, list(Qualifiers.model_fields))
                or f"; qualifiers: {', '.join(Qualifiers.model_fields)}"
            )
            problems.append(
                InputError(corpus.location("term", term.id), f"term '{term.id}': no qualifier key '{term.id}'{hint}")
            )
    predicates = [t for t in terms if terms[t].kind is TermKind.predicate]
    undeclared = corpus.claims.used("predicate") - set(predicates)
    column = corpus.claims.columns["predicate"] if undeclared else []
    for predicate in sorted(undeclared, key=column.index):  # in order of first use, in C
        first, uses = column.index(predicate), column.count(predicate)
        claim_id = corpus.claims.columns["id"][first]
        others = f" (and {uses - 1:,} more claims)" if uses > 1 else ""
        if predicate in terms:
            hint = "; it is declared as a qualifier term: declare a predicate, or use another"
        else:
            hint = (
                did_you_mean(predicate, predicates)
                or "; declare it under 'vocabulary:' (or run with --undeclared warn)"
            )
        problems.append(
            InputError(
                corpus.location("claim", claim_id, "predicate"),
                f"claim '{claim_id}'{others}: undeclared predicate '{predicate}'{hint}",
            )
        )
    return problems


def _term_error(corpus: Corpus, term_id: str, field: str, message: str, wrong: str) -> InputError:
    hint = did_you_mean(wrong, list(corpus.vocabulary)) or "; declare it under 'vocabulary:'"
    return InputError(corpus.location("term", term_id, field), f"term '{term_id}': {message}{hint}")


def unresolved_claims(corpus: Corpus, first: int) -> bool:
    """Whether a claim from position `first` on names an unknown source, entity or predicate (a quick yes/no
    for claims appended to a kept run; the full load then reports where)."""
    claims, entities = corpus.claims, corpus.entities
    for position in range(first, len(claims)):  # one value at a time: a kept run's columns stay undecoded
        if claims.value("source", position) not in corpus.sources:
            return True
        if claims.value("predicate", position) not in corpus.vocabulary:
            return True  # undeclared: the full load reports it (or warns, and the run is full)
        refs = [
            claims.value(f, position)
            for f in ("speaker", "subject", "object", "qualifiers.place", "attribution.translated.by")
        ]
        lists = [*claims.value("qualifiers.parties", position), *claims.value("attribution.via", position)]
        if any(r is not None and r not in entities for r in [*refs, *lists]):
            return True
        restated = claims.value("attribution.paraphrases", position)
        if restated is not None and restated not in claims:
            return True
    return False


def _check_cycles(corpus: Corpus, errors: list[InputError]) -> None:
    for relation in ("is_a", "part_of"):
        graph = _links(corpus.entities, relation)  # an entity without links is in no cycle: not there
        done: set[str] = set()
        for start in sorted(graph):
            if start in done:
                continue
            cycle = _find_cycle(graph, start, done)
            if cycle:
                loop = " -> ".join(cycle)
                collect(
                    errors,
                    InputError(
                        corpus.location("entity", cycle[0]),
                        f"entity '{cycle[0]}': {relation} cycle {loop}; remove one of these links",
                    ),
                )
                return


def _links(entities: Mapping[str, Entity], relation: str) -> Mapping[str, list[str]]:
    """Each entity's links of one relation (RELATIONS), for those that have any (in no particular order): an
    EntityTable's without validating its entities."""
    if isinstance(entities, EntityTable):
        return entities.links(relation)
    return {entity_id: targets for entity_id, entity in entities.items() if (targets := entity_links(entity, relation))}


def _find_cycle(graph: Mapping[str, list[str]], start: str, done: set[str]) -> list[str] | None:
    """Iterative DFS (corpora may be deep); returns the cycle's nodes, first node repeated at the end."""
    stack: list[tuple[str, int]] = [(start, 0)]
    on_path: list[str] = []
    while stack:
        node, index = stack.pop()
        if index == 0:
            if node in done:
                continue
            if node in on_path:
                return [*on_path[on_path.index(node) :], node]
            on_path.append(node)
        children = graph.get(node, [])
        if index < len(children):
            stack.append((node, index + 1))
            stack.append((children[index], 0))
        else:
            on_path.pop()
            done.add(node)
    return None
