"""What one run keeps for the next, so that re-running after appending claims costs seconds.

A kept run (RunState) holds the loaded corpus without the claims' JSON lines (those stay in the user's
files), each rule's partition state (evaluate/incremental.py) and what it was computed from:
 - a context digest over everything but the bulk claim files: rule files, the other corpus files
   (YAML, entities.jsonl, sources.jsonl), the workspace file, engine settings, factcheck and
   durable-rules versions, and factcheck's own source (`code_digest`: a built-in whose meaning changed
   between two runs of one version, as in a checkout, must not reuse the other's matches). Any difference
   means a full run.
 - per bulk (JSON Lines) claim file: its size and digest. The next run reuses the state only if every
   such file still starts with exactly those bytes (ending at a line break): claims were appended,
   none changed or went away. Then only the new lines are validated and only the partitions they join
   are evaluated. Anything else (an edit, a deletion, a new file) means a full run.
A re-run reads the kept state without decoding it whole: columns stay arrays of codes (KeptColumn), ids
are found by a search of their kept text, entities are validated when asked for, so a million kept claims
cost what the few that share a partition with the new ones cost. The claim files' kept bytes are hashed
again in a thread while the run goes on (from what the state's meta part says, read before its seal is
checked, to start at once; the sealed copy must say the same); nothing is reported or kept before that
check confirms them (`Appended.confirmed`), and if it does not, the run is a full one.
A state that cannot be read (another version, a damaged file) is ignored. States are written whole to
a temporary file and renamed, so a crash leaves the previous one or none. A large state is not rewritten
for a few appended claims (`worth_rewriting`): it stays valid (the files still start with the bytes it
read), so the next run reads those claims again as appended, which costs less than rewriting it. After a
full load, the corpus is encoded for `save` in a forked child while the rules are evaluated
(`encoding_beside`): it depends on the corpus alone, and the second core is otherwise idle then.

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
import json
import os
import secrets
import tempfile
from collections.abc import Iterator, Mapping, MutableMapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from io import BufferedReader
from itertools import accumulate
from pathlib import Path
from typing import cast

from blake3 import blake3
from pydantic import TypeAdapter

from factcheck import __version__
from factcheck.errors import InputError
from factcheck.evaluate.incremental import RuleState
from factcheck.evaluate.workers import Beside, Workers, forks_beside
from factcheck.load.corpus import JsonLines, add_lines, bulk_section, line_offsets, unresolved_claims
from factcheck.load.files import (
    CLAIM_SUFFIXES,
    content_digest,
    digest_files,
    file_entry,
    open_regular,
    read_limited,
    yaml_files,
)
from factcheck.model.claim_table import ClaimTable
from factcheck.model.corpus import Corpus
from factcheck.model.encoding import (
    EncodingError,
    encode_columns,
    framed,
    from_json,
    pack_ints,
    pack_parts,
    part_named,
    to_json,
    unpack_ints,
    unpack_parts,
)
from factcheck.model.entity import Entity
from factcheck.model.entity_table import EntityTable
from factcheck.model.source import Source
from factcheck.model.vocabulary import Term

STATE_FORMAT = 6
MAGIC = b"factcheck run cache %d\n" % STATE_FORMAT
SEAL_SIZE = 32
KEY_SIZE = 32
DIGEST_BLOCK = 64 * 2**20  # claim files are read again in blocks of this size, beside a re-run
MAX_PEEK_BYTES = 2**26  # a kept run's meta part holds its matches: megabytes at most
MAX_STATE_BYTES = 8 * 2**30  # far above what a million claims keep (~0.1 GB): past it, a file is not ours
# A state of fewer claims is rewritten after any append (it takes well under 0.1 s); a larger one once the
# claims appended since it was written reach 1 in REWRITE_SHARE of those it keeps.
REWRITE_ALWAYS_BELOW = 100_000
REWRITE_SHARE = 100
CORPUS_PARTS = ("sources", "entity_ids", "entities", "entity_ends", "vocabulary")  # `corpus_parts`
SIZE_PART = "claims"  # what a child encoding beside a run adds: how many claims it encoded (no column has that name)
_SOURCES = TypeAdapter(list[Source])
_ENTITY = TypeAdapter(Entity)
_TERMS = TypeAdapter(list[Term])


@cache
def code_digest() -> str:
    """A digest of factcheck's Python source: what a kept run's matches were computed by (~1 MB, hashed once
    per process)."""
    package = Path(__file__).resolve().parent
    digest = blake3()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class BulkFile:
    path: Path  # resolved
    size: int
    digest: str
    breaks: int = 0  # line breaks in the first `size` bytes


@dataclass
class RunState:
    format: int
    context: str
    bulk: list[BulkFile]
    corpus: Corpus
    rules: list[RuleState]


@dataclass
class Appended:
    """A kept run's corpus with the lines appended since: claims from `first_new` on are new. Whether the
    claim files still start with exactly the kept bytes is checked in a thread while the run goes on:
    nothing may be reported or kept from it before `confirmed()` says so."""

    corpus: Corpus
    first_new: int
    state: RunState
    checked: Future[tuple[list[str] | None, str]]  # `_read_again`'s answer
    docs: list[JsonLines]  # per bulk file, what its appended lines were read as
    files: list[Path]  # every claim file, in the order of their digest

    def confirmed(self) -> bool:
        try:
            digests, _ = self.checked.result()
        except OSError:
            return False
        if digests is None:
            return False
        for doc, digest in zip(self.docs, digests, strict=True):
            doc.digest = digest
        return True

    def claims_digest(self) -> str:
        """`digest_files` of the claim files, taken while they were read again."""
        try:
            return self.checked.result()[1]
        except OSError:
            return digest_files(self.files)  # says what went wrong, as a run without the cache would


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
            f"code {code_digest()}",
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
        self._beside: Beside | None = None  # a child encoding the loaded corpus (`encoding_beside`)

    @contextmanager
    def encoding_beside(self, corpus: Corpus, workers: Workers | None = None) -> Iterator[None]:
        """Encode the freshly loaded corpus, the bulk of what `save` writes (~1.8 s of one core at a million
        claims) and which depends on the corpus alone, in a child process (evaluate/workers.py, Beside) while
        this one evaluates the rules; `save` takes the parts from it, or encodes them itself if the child
        failed. No child is left behind when the block ends, however it ends."""

        def encode() -> list[bytes | memoryview]:
            columns = encode_columns(corpus.claims.held_columns)
            return framed({SIZE_PART: to_json(len(corpus.claims)), **corpus_parts(corpus), **columns})

        if forks_beside(workers) and user_key() is not None:  # without a key nothing is saved
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._beside = Beside.start(encode, self.path.parent)
            except OSError:
                pass
        try:
            yield
        finally:
            if self._beside is not None:
                self._beside.abandon()
                self._beside = None

    def _encoded_beside(self, corpus: Corpus) -> dict[str, memoryview] | None:
        """What `encoding_beside`'s child encoded, if it did, for this corpus (None: encode it here)."""
        beside, self._beside = self._beside, None
        data = beside.result() if beside is not None else None
        if data is None:
            return None
        try:
            parts = unpack_parts(data)
            if from_json(part_named(parts, SIZE_PART)) != len(corpus.claims) or not set(CORPUS_PARTS) <= set(parts):
                return None
        except EncodingError:
            return None
        del parts[SIZE_PART]
        return parts

    def appended(self) -> Appended | None:
        """The kept corpus plus the claims appended since, or None when a full run is needed (no usable
        state, inputs changed, or the new lines hold an error: the full run reports it). A cache never
        fails a run: anything unexpected in reading it means a full run."""
        try:
            return self._appended()
        except Exception:
            return None

    def _appended(self) -> Appended | None:
        peeked = self._peek()
        if peeked is None:
            return None
        context, bulk = peeked
        if context != self.context or [b.path for b in bulk] != self.bulk_files:
            return None
        tails = _appended_bytes(bulk)
        if tails is None:
            return None
        # hashing releases the GIL: the kept bytes are checked while the run goes on (Appended.confirmed)
        pool = ThreadPoolExecutor(max_workers=1)
        checked = pool.submit(_read_again, self.claim_files, bulk, [data for data, _ in tails])
        pool.shutdown(wait=False)
        parts = self._read()
        if parts is None or decode_kept_files(parts) != (context, bulk):  # the sealed copy must say the same
            return None
        state = decode_parts(parts)
        corpus = state.corpus
        first_new = len(corpus.claims)
        errors: list[InputError] = []
        docs = []
        for kept, (data, size) in zip(bulk, tails, strict=True):  # kept claims are read from their files when needed
            appended = JsonLines(_display(corpus, kept.path), kept.path)
            appended.size, appended.breaks = size, kept.breaks + data.count(b"\n")
            new_lines = data.split(b"\n")
            add_lines(corpus, appended, new_lines, kept.breaks, errors, line_offsets(new_lines, kept.size))
            docs.append(appended)
        if errors or unresolved_claims(corpus, first_new):
            return None
        return Appended(corpus, first_new, state, checked, docs, self.claim_files)

    def save(self, corpus: Corpus, rules: list[RuleState]) -> None:
        """Keep this run for the next; a cache that cannot be written only costs the next run time."""
        read: dict[Path, JsonLines] = {}  # per file, the latest read of it (an appended tail is read whole)
        for doc in corpus.claims.origin_documents:
            if isinstance(doc, JsonLines) and doc.file is not None:
                read[doc.file] = doc
        empty = JsonLines("")  # a file no claim came from: its lines are all read again next time
        files = [read.get(f, empty) for f in self.bulk_files]
        bulk = [BulkFile(f, doc.size, doc.digest, doc.breaks) for f, doc in zip(self.bulk_files, files, strict=True)]
        # without the YAML origins: only error messages use them, and a run with errors is never kept
        state = RunState(STATE_FORMAT, self.context, bulk, corpus, rules)
        try:
            key = user_key()
            if key is None:
                return
            made = self._encoded_beside(corpus)
            sealed = sealed_pieces(framed(state_parts(state, made)), key)  # written piece by piece, never joined
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".run-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.writelines(sealed)
                os.replace(temporary, self.path)
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
        except (OSError, ValueError, OverflowError):
            return

    def _peek(self) -> tuple[str, list[BulkFile]] | None:
        """What the kept run says it was computed from, read alone before its seal is checked: only to start
        checking the claim files at once (`_appended` then requires the sealed copy to say the same)."""
        try:
            with open_regular(self.path) as handle:
                head = handle.read(len(MAGIC) + SEAL_SIZE + 2**20)
                if not head.startswith(MAGIC):
                    return None
                end = head.find(b"\n", len(MAGIC) + SEAL_SIZE)
                at = end + 1
                for name, length in json.loads(head[len(MAGIC) + SEAL_SIZE : end]) if end >= 0 else []:
                    if name == "meta" and 0 <= length <= MAX_PEEK_BYTES:
                        handle.seek(at)
                        return decode_kept_files({"meta": memoryview(handle.read(length))})
                    at += length
        except (OSError, ValueError, TypeError, EncodingError):
            pass
        return None

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


def _appended_bytes(bulk: list[BulkFile]) -> list[tuple[bytes, int]] | None:
    """Per kept bulk file: the bytes past the kept ones and the file's size; None when a file is shorter."""
    tails = []
    for kept in bulk:
        try:
            with open_regular(kept.path) as handle:
                handle.seek(kept.size)
                data = handle.read()
                size = handle.tell()
        except OSError:
            return None
        if size < kept.size or size != kept.size + len(data):
            return None
        tails.append((data, size))
    return tails


def _read_again(files: list[Path], bulk: list[BulkFile], tails: list[bytes]) -> tuple[list[str] | None, str]:
    """The claim files read once more, each byte hashed once (`content_digest`), for: per kept bulk file, the
    digest of its kept bytes (which must be the kept digest, the bytes ending at a line break) and of those
    followed by `tails`, what this run read (None for them all when some file is not the kept one); and
    `digest_files` of all the files, which the review store records. Large blocks: each block's hash
    releases the GIL, and taking it back waits for the busy main thread, so a few blocks, not hundreds."""
    kept = {b.path: (b, tail) for b, tail in zip(bulk, tails, strict=True)}
    review, digests, same = hashlib.sha256(), [], True
    buffer = bytearray(min(DIGEST_BLOCK, max(map(_size, files), default=0)) or 1)
    for file in files:
        bulk_file, tail = kept.get(file, (None, b""))
        content, left, last = content_digest(), -1, ord("\n")  # left: kept bytes still to read (-1: past them)
        if bulk_file is not None:
            left = bulk_file.size
        with open_regular(file) as handle:
            while True:
                if left == 0:  # at the end of the kept bytes: their digest, and with what this run read
                    assert bulk_file is not None
                    same = same and last == ord("\n") and content.hexdigest() == bulk_file.digest
                    read = content.copy()
                    read.update(tail)
                    digests.append(read.hexdigest())
                    left = -1
                view = memoryview(buffer)[: len(buffer) if left < 0 else min(left, len(buffer))]
                done = cast(BufferedReader, handle).readinto(view)
                if not done:
                    break
                content.update(view[:done])
                if left > 0:
                    last, left = view[done - 1], left - done
        same = same and left < 0  # (left > 0: shorter than the kept bytes)
        review.update(file_entry(file, content.hexdigest()))
    return (digests if same else None), review.hexdigest()


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0


def worth_rewriting(kept: int, total: int) -> bool:
    """Whether a run that found claims `kept` to `total` appended to a kept run of `kept` claims should
    replace it (never when nothing was appended: the kept run is this one)."""
    new = total - kept
    return new > 0 and (kept < REWRITE_ALWAYS_BELOW or new * REWRITE_SHARE >= kept)


def encode_state(state: RunState) -> bytes:
    return pack_parts(state_parts(state))


def state_parts(state: RunState, made: Mapping[str, bytes | memoryview] | None = None) -> dict[str, bytes | memoryview]:
    """The state's parts. `made`: its corpus's `corpus_parts` and its claims' `encode_columns`, if made already
    (beside the run)."""
    corpus = state.corpus
    docs = corpus.claims.origin_documents
    meta = {
        "context": state.context,
        "bulk": [[str(b.path), b.size, b.digest, b.breaks] for b in state.bulk],
        "docs": [
            [d.path, None if d.file is None else str(d.file), d.section, d.size, d.digest, d.breaks] for d in docs
        ],
        "rules": [[r.rule_id, r.products, r.matches] for r in state.rules],
    }
    if made is None:
        kept, columns = corpus_parts(corpus), None
    else:
        kept = {name: made[name] for name in CORPUS_PARTS}
        columns = {name: data for name, data in made.items() if name not in kept}
    return {"meta": to_json(meta), **kept, **corpus.claims.to_parts(_matched_ids(state.rules), columns)}


def corpus_parts(corpus: Corpus) -> dict[str, bytes | memoryview]:
    """The parts of a corpus but its claims (CORPUS_PARTS)."""
    if isinstance(corpus.entities, KeptEntities):  # a kept run's, kept again: as read, none validated
        entities = corpus.entities.encoded()
    elif isinstance(corpus.entities, EntityTable):  # a bulk file's lines, as read: none validated either
        entities = corpus.entities.encoded(_ENTITY.dump_json)
    else:
        entities = list(map(_ENTITY.dump_json, corpus.entities.values()))
    return {
        "sources": _SOURCES.dump_json(list(corpus.sources.values())),
        # one entity a line, with the ids apart: a re-run validates only the entities it asks for
        "entity_ids": "\n".join(corpus.entities).encode(),
        "entities": b"".join(entities),
        "entity_ends": pack_ints(accumulate(map(len, entities)), sum(map(len, entities)) + 1),
        "vocabulary": _TERMS.dump_json(list(corpus.vocabulary.values())),
    }


def _matched_ids(rules: list[RuleState]) -> Iterator[str]:
    """The claims of the kept matches: the next run looks each of them up."""
    for rule in rules:
        for tuples in rule.matches.values():
            for ids in tuples:
                yield from ids


def decode_state(data: bytes | memoryview) -> RunState:
    """The state `encode_state` wrote; EncodingError for anything else."""
    return decode_parts(unpack_parts(data))


def decode_kept_files(parts: dict[str, memoryview]) -> tuple[str, list[BulkFile]]:
    """What a kept run was computed from (its context digest and bulk files), read before the rest."""
    meta = from_json(part_named(parts, "meta"))
    try:
        bulk = [BulkFile(Path(p), int(size), str(digest), int(breaks)) for p, size, digest, breaks in meta["bulk"]]
        return str(meta["context"]), bulk
    except (KeyError, TypeError, ValueError) as exc:
        raise EncodingError("not a kept run of this version") from exc


def decode_parts(parts: dict[str, memoryview]) -> RunState:
    """`decode_state` on the parts of a state already unsealed and split."""
    try:
        meta = from_json(part_named(parts, "meta"))
        docs = []
        for path, file, section, size, digest, breaks in meta["docs"]:
            doc = JsonLines(str(path), None if file is None else Path(file), str(section))
            doc.size, doc.digest, doc.breaks = int(size), str(digest), int(breaks)
            docs.append(doc)
        sources = _SOURCES.validate_json(bytes(part_named(parts, "sources")))
        entities = KeptEntities(
            part_named(parts, "entity_ids"), part_named(parts, "entities"), part_named(parts, "entity_ends")
        )
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
        corpus = Corpus({s.id: s for s in sources}, entities, claims, {t.id: t for t in terms})
        return RunState(STATE_FORMAT, context, bulk, corpus, rules)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # ValidationError is a ValueError
        raise EncodingError("not a kept run of this version") from exc


class KeptEntities(MutableMapping[str, Entity]):
    """A kept run's entities by id, each validated when first asked for: a re-run needs a few of the
    tens of thousands a gazetteer holds (the speakers and places of a few claims and tensions)."""

    def __init__(self, ids: memoryview, data: memoryview, ends: memoryview) -> None:
        names = bytes(ids).decode().split("\n") if ids else []
        self._data, self._ends = data, unpack_ints(ends)
        self._at = dict(zip(names, range(len(names)), strict=True))
        if not len(self._at) == len(names) == len(self._ends) or (names and self._ends[-1] != len(data)):
            raise EncodingError("entity ids do not match the entities")
        self._valid: dict[str, Entity] = {}

    def __getitem__(self, entity_id: str) -> Entity:
        entity = self._valid.get(entity_id)
        if entity is None:
            at = self._at[entity_id]
            entity = Entity.model_validate_json(bytes(self._data[self._ends[at - 1] if at else 0 : self._ends[at]]))
            if entity.id != entity_id:
                raise KeyError(entity_id)
            self._valid[entity_id] = entity
        return entity

    def encoded(self) -> list[bytes]:
        """Each entity's JSON, in order: as it was read back, unless it was set since."""
        ends = self._ends
        return [
            bytes(self._data[ends[at - 1] if at else 0 : ends[at]]) if at >= 0 else _ENTITY.dump_json(self._valid[i])
            for i, at in self._at.items()
        ]

    def __setitem__(self, entity_id: str, entity: Entity) -> None:
        self._at[entity_id] = -1  # held validated only
        self._valid[entity_id] = entity

    def __delitem__(self, entity_id: str) -> None:
        raise TypeError("a kept run's entities are read only")

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


def sealed_pieces(pieces: list[bytes | memoryview], key: bytes) -> list[bytes | memoryview]:
    """The pieces' bytes sealed (what `unseal` opens: the magic, their MAC, them), as pieces: a kept run of a
    million claims is tens of MB, never copied into one."""
    mac = blake3(key=key)
    for piece in pieces:
        mac.update(piece)
    return [MAGIC, mac.digest(), *pieces]


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
    return blake3(data, key=key).digest()  # keyed BLAKE3 (a MAC): SEAL_SIZE bytes, ~4 GB/s on one core here


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
