"""Expand the user's --claims/--rules arguments (files or folders) into YAML files, in a stable order."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from factcheck.errors import Location, UnreadableInput

YAML_SUFFIXES = (".yaml", ".yml")
CLAIM_SUFFIXES = (*YAML_SUFFIXES, ".jsonl")  # JSON Lines: one claim per line, the bulk format


def display_name(path: Path) -> str:
    """Paths in messages are relative to the working directory when they lie below it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def yaml_files(paths: list[Path], what: str, suffixes: tuple[str, ...] = YAML_SUFFIXES) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in suffixes and p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise UnreadableInput(Location(display_name(path)), f"no such file or folder for {what}")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        shown = ", ".join(display_name(p) for p in paths)
        raise UnreadableInput(Location(shown), f"no {' or '.join(suffixes)} files found for {what}")
    return unique


def digest_files(files: list[Path]) -> str:
    """One digest over the files' names and bytes, recorded with each run."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(display_name(file).encode() + b"\0")
        with file.open("rb") as handle:  # in blocks: a 300 MB claims file is not read into memory
            while block := handle.read(1 << 20):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


DIGEST_SIZE = 20


def bytes_digest(data: bytes) -> str:
    """A digest of file contents for telling whether they changed (blake2b: fast on large files)."""
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).hexdigest()
