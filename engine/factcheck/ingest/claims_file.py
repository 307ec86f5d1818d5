"""An imported claims file: the claims, and the sources, entities and vocabulary terms they need that the
workspace does not declare yet, written as YAML that factcheck loads as it is.

Ids are stable: made from what an item says (a name, a URL, a hash of the statement), so importing the
same rows again gives the same ids, and a review of an imported claim survives a re-import. An entity
or source the workspace already declares (by id, name or alias; by URL for sources) is used, not
declared again.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from factcheck.errors import FactcheckError, InputError, InputErrors, Location
from factcheck.load.corpus import Undeclared, load_corpus
from factcheck.load.files import CLAIM_SUFFIXES, yaml_files
from factcheck.model.corpus import Corpus
from factcheck.model.entity import EntityKind

IMPORTED_PREDICATE = "asserts"  # an imported statement awaiting its structured reading
IMPORTED_TERM = {
    "id": IMPORTED_PREDICATE,
    "label": "asserts",
    "note": "an imported statement: replace with the predicate of its structured reading",
}


def slug(text: str, limit: int = 48) -> str:
    """An id from a name: lowercase ASCII letters, digits and '-' (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-")


def short_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:8]


@dataclass
class ClaimsFile:
    """What one import writes; `known` is the workspace's corpus (without the file being written)."""

    known: Corpus = field(default_factory=Corpus)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)
    origins: dict[str, Location] = field(default_factory=dict)  # claim id -> the row or item it came from

    def __post_init__(self) -> None:
        # the workspace's entities by lowercased id, name and alias; its sources by URL and by what they say
        self._entity_names: dict[str, str] = {}
        for known in self.known.entities.values():
            for name in (known.name, *known.aliases, known.id):
                self._entity_names.setdefault(name.lower(), known.id)
        self._source_keys: dict[tuple[str, ...], str] = {}
        for source in self.known.sources.values():
            self._source_keys.setdefault(
                _source_key(source.outlet, source.title, source.published.date, source.url), source.id
            )

    def entity(self, name: str, kind: EntityKind = EntityKind.other, role: str | None = None) -> str:
        """The id of the entity called `name` (or with that id or alias), declared here if new."""
        wanted = " ".join(name.split())
        known = self._entity_names.get(wanted.lower())
        if known is not None:
            return known
        entity_id = slug(wanted) or f"entity-{short_hash(wanted)}"
        if entity_id in self.known.entities:  # same id, another name: keep both apart
            entity_id = f"{entity_id}-{short_hash(wanted)}"
        declared = self.entities.setdefault(entity_id, {"id": entity_id, "name": wanted, "kind": kind.value})
        if role and "role" not in declared:
            declared["role"] = role
        return entity_id

    def source(self, outlet: str, title: str, published: str, url: str | None = None) -> str:
        """The id of the source at `url` (or, without one, with this outlet, title and date), declared here if
        new: one page is one source, whatever the dates of the rows citing it."""
        key = _source_key(outlet, title, published, url)
        if key in self._source_keys:
            return self._source_keys[key]
        source_id = f"{slug(outlet, 30) or 'source'}-{short_hash(*key)}"
        item: dict[str, Any] = {"id": source_id, "outlet": outlet, "title": title}
        if url:
            item["url"] = url
        item["published"] = published
        self.sources.setdefault(source_id, item)
        self._source_keys[key] = source_id
        return source_id

    def add_claim(self, claim: dict[str, Any], origin: Location) -> None:
        self.claims[claim["id"]] = claim
        self.origins[claim["id"]] = origin

    def clashes(self) -> list[InputError]:
        """Claims the workspace already has in another file (imported before, into another file)."""
        return [
            InputError(
                self.origins[claim_id],
                f"claim '{claim_id}' is already in the workspace ({self.known.location('claim', claim_id)}); "
                "it was imported before: import into that file with -o, or remove it there",
            )
            for claim_id in self.claims
            if claim_id in self.known.claims
        ]

    def needs_term(self) -> bool:
        return IMPORTED_PREDICATE not in self.known.vocabulary and any(
            c.get("predicate") == IMPORTED_PREDICATE for c in self.claims.values()
        )

    def document(self) -> dict[str, Any]:
        document: dict[str, Any] = {}
        if self.sources:
            document["sources"] = list(self.sources.values())
        if self.entities:
            document["entities"] = list(self.entities.values())
        document["claims"] = list(self.claims.values())
        if self.needs_term():
            document["vocabulary"] = [IMPORTED_TERM]
        return document

    def render(self, header: str) -> str:
        comment = "".join(f"# {line}\n" for line in header.splitlines())
        body = yaml.dump(
            self.document(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False
        )
        return comment + body

    def write(self, path: Path, header: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(self.render(header), encoding="utf-8")
        partial.replace(path)


def _source_key(outlet: str, title: str, published: str, url: str | None) -> tuple[str, ...]:
    return (url,) if url else (outlet, title, published)


def workspace_corpus(paths: list[Path], output: Path) -> tuple[Corpus, list[Path]]:
    """The workspace's claims without the file an import (re)writes, and the files they come from."""
    existing = [p for p in paths if p.exists()]
    # a new workspace may have no claims yet: nothing to reuse, not an error
    if not any(f.suffix in CLAIM_SUFFIXES for p in existing for f in (p.rglob("*") if p.is_dir() else [p])):
        return Corpus(), []
    files = [f for f in yaml_files(existing, "claims", CLAIM_SUFFIXES) if f.resolve() != output.resolve()]
    return (load_corpus(files, Undeclared.warn) if files else Corpus()), files


def write_import(into: ClaimsFile, output: Path, files: list[Path], header: str) -> None:
    """Write the claims file, then load it with the workspace as `factcheck run` will; a file that does not
    load is removed again and its problems reported."""
    clashes = into.clashes()
    if clashes:
        raise InputErrors(clashes)
    existed = output.exists()
    previous = output.read_bytes() if existed else None
    into.write(output, header)
    try:
        load_corpus([*files, output], Undeclared.warn)
    except FactcheckError:
        if previous is not None:
            output.write_bytes(previous)
        else:
            output.unlink(missing_ok=True)
        raise


class _Dumper(yaml.SafeDumper):
    """factcheck reads YAML strictly: no anchors or aliases, so never write them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True
