"""Expand the user's --claims/--rules arguments (files or folders) into YAML files, in a stable order,
and open what they name safely."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path
from typing import Any, BinaryIO

from blake3 import blake3

from factcheck.errors import Location, UnreadableInput

YAML_SUFFIXES = (".yaml", ".yml")
CLAIM_SUFFIXES = (*YAML_SUFFIXES, ".jsonl")  # JSON Lines: one claim per line, the bulk format


def display_name(path: Path) -> str:
    """Paths in messages are relative to the working directory when they lie below it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def open_regular(path: Path) -> BinaryIO:
    """Open a file for reading. Anything but a regular file is refused at once: reading a FIFO or a
    device put in a file's place would block or never end."""
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(handle).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file (a FIFO, socket or device)")
        os.set_blocking(handle, True)
        return os.fdopen(handle, "rb")
    except BaseException:
        os.close(handle)
        raise


def read_limited(path: Path, limit: int) -> bytes:
    """A regular file's bytes, refusing (before reading them) more than `limit` bytes."""
    with open_regular(path) as handle:
        if os.fstat(handle.fileno()).st_size > limit:
            raise OSError(errno.EFBIG, f"file is larger than {limit // 2**20} MiB; split it into several files")
        data = handle.read()  # not read(limit + 1): that allocates `limit` bytes up front
    if len(data) > limit:  # grew while being read
        raise OSError(errno.EFBIG, f"file is larger than {limit // 2**20} MiB; split it into several files")
    return data


def yaml_files(paths: list[Path], what: str, suffixes: tuple[str, ...] = YAML_SUFFIXES) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        try:
            if path.is_dir():
                found.extend(_files_below(path, suffixes))
            elif path.is_file():
                found.append(path)
            elif path.exists():
                raise UnreadableInput(
                    Location(display_name(path)), f"not a regular file (a FIFO, socket or device) for {what}"
                )
            else:
                raise UnreadableInput(Location(display_name(path)), f"no such file or folder for {what}")
        except OSError as exc:  # a name too long, a folder that cannot be listed
            where = display_name(Path(exc.filename)) if exc.filename else display_name(path)
            raise UnreadableInput(Location(where), f"cannot read {what}: {exc.strerror or exc}") from None
    unique = list(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        shown = ", ".join(display_name(p) for p in paths)
        raise UnreadableInput(Location(shown), f"no {' or '.join(suffixes)} files found for {what}")
    return unique


def _files_below(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Every file with one of `suffixes` below `folder`, sorted. A sub-folder that cannot be listed is
    an error, not a silent gap: its claims would vanish and their reviewed tensions read as resolved."""

    def fail(exc: OSError) -> None:
        raise exc

    found: list[Path] = []
    for root, _, names in os.walk(folder, onerror=fail):
        found.extend(Path(root, n) for n in names if Path(n).suffix in suffixes and Path(root, n).is_file())
    return sorted(found)


def digest_files(files: list[Path]) -> str:
    """One digest over the files' names and bytes, recorded with each run: of each file's name and the
    `content_digest` of its bytes (`file_entry`; run_cache.py takes the same while it reads claim files
    again for what it checks itself, so a re-run hashes each byte once)."""
    digest = hashlib.sha256()
    for file in files:
        content = content_digest()
        with open_regular(file) as handle:  # in blocks: a 300 MB claims file is not read into memory
            while block := handle.read(1 << 20):
                content.update(block)
        digest.update(file_entry(file, content.hexdigest()))
    return digest.hexdigest()


def file_entry(file: Path, content: str) -> bytes:
    """What `digest_files` takes of one file, given the `content_digest` of its bytes."""
    return display_name(file).encode() + b"\0" + content.encode() + b"\0"


def content_digest(data: bytes | memoryview = b"") -> Any:
    """A running digest of a file's bytes: BLAKE3, ~4 GB/s on one core here (sha256 ~1.8 GB/s, blake2b ~1).
    A kept run's claim files are checked with it (run_cache.py)."""
    return blake3(data)
