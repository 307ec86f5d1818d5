"""What one run keeps for the next, so that re-running after appending claims costs seconds.

A kept run (RunState) holds the loaded corpus without the claims' JSON lines (those stay in the user's
files), each rule's partition state (evaluate/incremental.py) and what it was computed from:
 - a context digest over everything but the bulk claim files: rule files, the other corpus files
   (YAML, entities.jsonl, sources.jsonl), the workspace file, engine settings, factcheck and
   durable-rules versions. Any difference means a full run.
 - per bulk (JSON Lines) claim file: its size and digest. The next run reuses the state only if every
   such file still starts with exactly those bytes (ending at a line break): claims were appended,
   none changed or went away. Then only the new lines are validated and only the partitions they join
   are evaluated. Anything else (an edit, a deletion, a new file) means a full run.
A state that cannot be read (another version, a damaged file) is ignored. States are written whole to
a temporary file and renamed, so a crash leaves the previous one or none. The cache holds pickles:
it is a private folder of the user's own runs, like the review database next to it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from factcheck import __version__
from factcheck.errors import InputError
from factcheck.evaluate.incremental import RuleState
from factcheck.load.corpus import JsonLines, add_lines, bulk_section, unresolved_claims
from factcheck.load.files import CLAIM_SUFFIXES, DIGEST_SIZE, digest_files, yaml_files
from factcheck.model.corpus import Corpus

STATE_FORMAT = 1


@dataclass
class BulkFile:
    path: Path  # resolved
    size: int
    digest: str


@dataclass
class RunState:
    format: int
    context: str
    bulk: list[BulkFile]
    corpus: Corpus
    rules: list[RuleState]


@dataclass
class Appended:
    """A kept run's corpus with the lines appended since: claims from `first_new` on are new."""

    corpus: Corpus
    first_new: int
    state: RunState


class RunCache:
    @classmethod
    def open(
        cls, folder: Path, claims: list[Path], rules: list[Path], config: Path | None, settings: str
    ) -> RunCache | None:
        """None when the inputs cannot even be listed: the full load then reports why, as usual."""
        try:
            return cls(folder, claims, rules, config, settings)
        except (InputError, OSError):
            return None

    def __init__(self, folder: Path, claims: list[Path], rules: list[Path], config: Path | None, settings: str) -> None:
        self.claim_files = yaml_files(claims, "claims", CLAIM_SUFFIXES)
        self.bulk_files = [f for f in self.claim_files if f.suffix == ".jsonl" and bulk_section(f) == "claims"]
        others = [f for f in self.claim_files if f not in self.bulk_files]  # YAML, entities, sources
        digest = hashlib.sha256()
        for part in (
            f"state {STATE_FORMAT}",
            f"factcheck {__version__}",
            f"durable-rules {importlib.metadata.version('durable-rules')}",
            settings,
            digest_files(yaml_files(rules, "rules")),
            digest_files(others),
            "\n".join(str(f) for f in self.bulk_files),
        ):
            digest.update(part.encode() + b"\0")
        workspace = config or Path("factcheck.yaml")
        if workspace.is_file():
            digest.update(workspace.read_bytes())
        self.context = digest.hexdigest()
        key = hashlib.sha256("\n".join(str(f) for f in self.claim_files).encode() + settings.encode()).hexdigest()
        self.path = folder / f"run-{key[:16]}.pickle"

    def appended(self) -> Appended | None:
        """The kept corpus plus the claims appended since, or None when a full run is needed (no usable
        state, inputs changed, or the new lines hold an error: the full run reports it). A cache never
        fails a run: anything unexpected in reading it means a full run."""
        try:
            return self._appended()
        except Exception:
            return None

    def _appended(self) -> Appended | None:
        state = self._read()
        if state is None or state.context != self.context or [b.path for b in state.bulk] != self.bulk_files:
            return None
        corpus = state.corpus
        first_new = len(corpus.claims)
        tails: list[tuple[JsonLines, list[bytes], int]] = []
        lines_of: dict[int, list[bytes]] = {}
        for kept in state.bulk:
            try:
                data = kept.path.read_bytes()
            except OSError:
                return None
            head = memoryview(data)[: kept.size]
            digest = hashlib.blake2b(head, digest_size=DIGEST_SIZE)  # of the kept bytes, then of the whole file
            if len(data) < kept.size or (head and head[-1] != ord("\n")) or digest.hexdigest() != kept.digest:
                return None
            lines = data.split(b"\n")
            for number, doc in enumerate(corpus.claims.origin_documents):
                if isinstance(doc, JsonLines) and doc.file == kept.path:
                    lines_of[number] = lines
            first_line = data.count(b"\n", 0, kept.size)
            appended = JsonLines(_display(corpus, kept.path), kept.path)
            digest.update(memoryview(data)[kept.size :])
            appended.size, appended.digest = len(data), digest.hexdigest()
            tails.append((appended, lines[first_line:], first_line))
        corpus.claims.refill(lines_of)
        errors: list[InputError] = []
        for doc, new_lines, first_line in tails:
            add_lines(corpus, doc, new_lines, first_line, errors)
        if errors or unresolved_claims(corpus, first_new):
            return None
        return Appended(corpus, first_new, state)

    def save(self, corpus: Corpus, rules: list[RuleState]) -> None:
        """Keep this run for the next; a cache that cannot be written only costs the next run time."""
        read: dict[Path, JsonLines] = {}  # per file, the latest read of it (an appended tail is read whole)
        for doc in corpus.claims.origin_documents:
            if isinstance(doc, JsonLines) and doc.file is not None:
                read[doc.file] = doc
        empty = JsonLines("")  # a file no claim came from: its lines are all read again next time
        bulk = [BulkFile(f, read.get(f, empty).size, read.get(f, empty).digest) for f in self.bulk_files]
        # without the origins: only error messages use them, and a run with errors is never kept
        state = RunState(STATE_FORMAT, self.context, bulk, replace(corpus, origins={}), rules)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".run-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.path)
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
        except (OSError, pickle.PicklingError, RecursionError):
            return

    def _read(self) -> RunState | None:
        try:
            with self.path.open("rb") as handle:
                state = pickle.load(handle)
        except Exception:  # missing, damaged, or written by another version: a full run replaces it
            return None
        return state if isinstance(state, RunState) and state.format == STATE_FORMAT else None


def _display(corpus: Corpus, file: Path) -> str:
    for doc in corpus.claims.origin_documents:
        if isinstance(doc, JsonLines) and doc.file == file:
            return doc.path
    return str(file)
