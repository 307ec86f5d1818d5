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
a temporary file and renamed, so a crash leaves the previous one or none. A large state is not rewritten
for a few appended claims (`worth_rewriting`): it stays valid (the files still start with the bytes it
read), so the next run reads those claims again as appended, which costs less than rewriting it.

A workspace may come from someone else (a shared drive, a repository with its `.factcheck/` folder), so
a kept run is read as data only: JSON and integer arrays (model/encoding.py), never pickle. It is also
sealed with a key of this user's, kept outside any workspace (`$XDG_CACHE_HOME/factcheck/`, default
`~/.cache/factcheck/`): a kept run this user did not write, or one changed since, is ignored, so a
planted cache cannot change what a run reports either. Without a usable key there is no cache.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.metadata
import os
import secrets
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter

from factcheck import __version__
from factcheck.errors import InputError
from factcheck.evaluate.incremental import RuleState
from factcheck.load.corpus import JsonLines, add_lines, bulk_section, line_offsets, unresolved_claims
from factcheck.load.files import CLAIM_SUFFIXES, DIGEST_SIZE, digest_files, read_limited, yaml_files
from factcheck.model.claim_table import ClaimTable
from factcheck.model.corpus import Corpus
from factcheck.model.encoding import EncodingError, from_json, pack_parts, part_named, to_json, unpack_parts
from factcheck.model.entity import Entity
from factcheck.model.source import Source
from factcheck.model.vocabulary import Term

STATE_FORMAT = 5
MAGIC = b"factcheck run cache %d\n" % STATE_FORMAT
SEAL_SIZE = 32
KEY_SIZE = 32
MAX_STATE_BYTES = 8 * 2**30  # far above what a million claims keep (~0.1 GB): past it, a file is not ours
# A state of fewer claims is rewritten after any append (it takes well under 0.1 s); a larger one once the
# claims appended since it was written reach 1 in REWRITE_SHARE of those it keeps.
REWRITE_ALWAYS_BELOW = 100_000
REWRITE_SHARE = 100
_SOURCES = TypeAdapter(list[Source])
_ENTITIES = TypeAdapter(list[Entity])
_TERMS = TypeAdapter(list[Term])


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
        self.path = folder / f"run-{key[:16]}.state"

    def appended(self) -> Appended | None:
        """The kept corpus plus the claims appended since, or None when a full run is needed (no usable
        state, inputs changed, or the new lines hold an error: the full run reports it). A cache never
        fails a run: anything unexpected in reading it means a full run."""
        try:
            return self._appended()
        except Exception:
            return None

    def _appended(self) -> Appended | None:
        parts = self._read()
        if parts is None:
            return None
        context, bulk = decode_kept_files(parts)
        if context != self.context or [b.path for b in bulk] != self.bulk_files:
            return None
        # hashing and reading release the GIL: the claim files are checked while the state is decoded
        with ThreadPoolExecutor(max_workers=1) as pool:
            checked = pool.submit(_appended_bytes, bulk)
            state = decode_parts(parts)
            tails = checked.result()
        if tails is None:
            return None
        corpus = state.corpus
        first_new = len(corpus.claims)
        errors: list[InputError] = []
        for kept, data, first_line, size, digest in tails:  # kept claims are read from their files when needed
            appended = JsonLines(_display(corpus, kept.path), kept.path)
            appended.size, appended.digest = size, digest
            new_lines = data.split(b"\n")
            add_lines(corpus, appended, new_lines, first_line, errors, line_offsets(new_lines, kept.size))
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
        # without the YAML origins: only error messages use them, and a run with errors is never kept
        state = RunState(STATE_FORMAT, self.context, bulk, corpus, rules)
        try:
            key = user_key()
            if key is None:
                return
            sealed = seal(encode_state(state), key)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".run-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(sealed)
                os.replace(temporary, self.path)
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
        except (OSError, ValueError, OverflowError):
            return

    def _read(self) -> dict[str, memoryview] | None:
        """The kept run's parts, once its seal shows this user wrote it (nothing is decoded before)."""
        key = user_key()
        if key is None:
            return None
        try:
            data = read_regular(self.path, MAX_STATE_BYTES)
            return unpack_parts(unseal(data, key)) if data is not None else None
        except (OSError, EncodingError):  # missing, damaged, another version's or not ours: a full run
            return None


def _appended_bytes(bulk: list[BulkFile]) -> list[tuple[BulkFile, bytes, int, int, str]] | None:
    """Per kept bulk file: the bytes appended since, the index of their first line, the file's size and
    digest; None when some file does not start with exactly the kept bytes (ending at a line break)."""
    tails = []
    for kept in bulk:
        try:
            data = kept.path.read_bytes()
        except OSError:
            return None
        head = memoryview(data)[: kept.size]
        digest = hashlib.blake2b(head, digest_size=DIGEST_SIZE)  # of the kept bytes, then of the whole file
        if len(data) < kept.size or (head and head[-1] != ord("\n")) or digest.hexdigest() != kept.digest:
            return None
        digest.update(memoryview(data)[kept.size :])
        tails.append((kept, data[kept.size :], data.count(b"\n", 0, kept.size), len(data), digest.hexdigest()))
    return tails


def worth_rewriting(kept: int, total: int) -> bool:
    """Whether a run that found claims `kept` to `total` appended to a kept run of `kept` claims should
    replace it (never when nothing was appended: the kept run is this one)."""
    new = total - kept
    return new > 0 and (kept < REWRITE_ALWAYS_BELOW or new * REWRITE_SHARE >= kept)


def encode_state(state: RunState) -> bytes:
    corpus = state.corpus
    docs = corpus.claims.origin_documents
    meta = {
        "context": state.context,
        "bulk": [[str(b.path), b.size, b.digest] for b in state.bulk],
        "docs": [[d.path, None if d.file is None else str(d.file), d.section, d.size, d.digest] for d in docs],
        "rules": [[r.rule_id, r.products, r.matches] for r in state.rules],
    }
    return pack_parts(
        {
            "meta": to_json(meta),
            "sources": _SOURCES.dump_json(list(corpus.sources.values())),
            "entities": _ENTITIES.dump_json(list(corpus.entities.values())),
            "vocabulary": _TERMS.dump_json(list(corpus.vocabulary.values())),
            **corpus.claims.to_parts(),
        }
    )


def decode_state(data: bytes | memoryview) -> RunState:
    """The state `encode_state` wrote; EncodingError for anything else."""
    return decode_parts(unpack_parts(data))


def decode_kept_files(parts: dict[str, memoryview]) -> tuple[str, list[BulkFile]]:
    """What a kept run was computed from (its context digest and bulk files), read before the rest."""
    meta = from_json(part_named(parts, "meta"))
    try:
        return str(meta["context"]), [BulkFile(Path(p), int(size), str(digest)) for p, size, digest in meta["bulk"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise EncodingError("not a kept run of this version") from exc


def decode_parts(parts: dict[str, memoryview]) -> RunState:
    """`decode_state` on the parts of a state already unsealed and split."""
    try:
        meta = from_json(part_named(parts, "meta"))
        docs = []
        for path, file, section, size, digest in meta["docs"]:
            doc = JsonLines(str(path), None if file is None else Path(file), str(section))
            doc.size, doc.digest = int(size), str(digest)
            docs.append(doc)
        sources = _SOURCES.validate_json(bytes(part_named(parts, "sources")))
        entities = _ENTITIES.validate_json(bytes(part_named(parts, "entities")))
        terms = _TERMS.validate_json(bytes(part_named(parts, "vocabulary")))
        claims = ClaimTable.from_parts(parts, docs)
        context, bulk = decode_kept_files(parts)
        rules = [
            RuleState(
                str(rule_id),
                {str(k): int(v) for k, v in products.items()},
                {str(k): [tuple(map(str, ids)) for ids in tuples] for k, tuples in matches.items()},
            )
            for rule_id, products, matches in meta["rules"]
        ]
        corpus = Corpus({s.id: s for s in sources}, {e.id: e for e in entities}, claims, {t.id: t for t in terms})
        return RunState(STATE_FORMAT, context, bulk, corpus, rules)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # ValidationError is a ValueError
        raise EncodingError("not a kept run of this version") from exc


def seal(data: bytes, key: bytes) -> bytes:
    return MAGIC + _mac(data, key) + data


def unseal(sealed: bytes, key: bytes) -> memoryview:
    """The data inside `sealed`, if this user's key sealed it."""
    head = len(MAGIC) + SEAL_SIZE
    if not sealed.startswith(MAGIC) or len(sealed) < head:
        raise EncodingError("not a kept run of this version")
    data = memoryview(sealed)[head:]
    if not hmac.compare_digest(sealed[len(MAGIC) : head], _mac(data, key)):
        raise EncodingError("not sealed by this user")
    return data


def _mac(data: bytes | memoryview, key: bytes) -> bytes:
    return hashlib.blake2b(data, key=key, digest_size=SEAL_SIZE).digest()


def user_key() -> bytes | None:
    """This user's key for sealing kept runs, made on first use; None when it cannot be kept."""
    try:
        home = os.path.expanduser("~")
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache")
        if not os.path.isabs(base):  # no home ('~' unexpanded) or a relative setting: it could be the workspace
            return None
        path = Path(base) / "factcheck" / "run-cache.key"
        key = read_regular(path, KEY_SIZE)
        if key is None:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            except FileExistsError:  # another run made it first
                return _valid_key(read_regular(path, KEY_SIZE))
            with os.fdopen(handle, "wb") as out:
                out.write(secrets.token_bytes(KEY_SIZE))
            key = read_regular(path, KEY_SIZE)
        return _valid_key(key)
    except (OSError, RuntimeError, ValueError):  # no home, a read-only one, a name too long
        return None


def _valid_key(key: bytes | None) -> bytes | None:
    return key if key is not None and len(key) == KEY_SIZE else None


def read_regular(path: Path, limit: int) -> bytes | None:
    """A regular file's bytes, None when there is none, it is something else (a FIFO would block) or it is
    larger than `limit`."""
    try:
        return read_limited(path, limit)
    except OSError:
        return None


def _display(corpus: Corpus, file: Path) -> str:
    for doc in corpus.claims.origin_documents:
        if isinstance(doc, JsonLines) and doc.file == file:
            return doc.path
    return str(file)
