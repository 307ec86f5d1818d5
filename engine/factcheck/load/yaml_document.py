"""Parse YAML into plain data while remembering where every value stood.

PyYAML's composer gives nodes with marks; we build the data ourselves so that
 - every error can point at file:line:col,
 - duplicate keys, aliases and non-standard tags are rejected instead of silently accepted,
 - scalars resolve by a small, predictable subset of YAML 1.1 (`yes`/`no`/`on` stay strings,
   dates stay strings and are parsed by our own models).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from factcheck.errors import InputError, Location, UnreadableInput
from factcheck.load.files import read_limited

PathKey = tuple[str | int, ...]

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_SCALAR_CHARS = 100_000
MAX_DEPTH = 64

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}

try:  # libyaml is much faster on large corpora; the pure-Python loader behaves the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class Positioned(Protocol):
    """Anything that can turn a path inside a file into a located error (YAML documents, JSON Lines)."""

    def location(self, path: PathKey = ()) -> Location: ...

    def error(self, path: PathKey, message: str) -> InputError: ...

    def key_error(self, path: PathKey, message: str) -> InputError: ...


@dataclass
class YamlDocument:
    path: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def location(self, path: PathKey = ()) -> Location:
        """Where the value at `path` (or its nearest recorded ancestor) starts."""
        key = tuple(path)
        while key and key not in self.positions:
            key = key[:-1]
        line, col = self.positions.get(key, (1, 1))
        return Location(self.path, line, col)

    def key_location(self, path: PathKey) -> Location:
        """Where the key of the mapping entry at `path` stands (for 'unknown key' errors)."""
        if tuple(path) in self.key_positions:
            line, col = self.key_positions[tuple(path)]
            return Location(self.path, line, col)
        return self.location(path)

    def error(self, path: PathKey, message: str) -> InputError:
        return InputError(self.location(path), message)

    def key_error(self, path: PathKey, message: str) -> InputError:
        return InputError(self.key_location(path), message)


def read_yaml(path: Path, display: str | None = None) -> YamlDocument:
    name = display or str(path)
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except OSError as exc:
        raise UnreadableInput(Location(name), f"cannot read file: {exc.strerror or exc}") from None
    return parse_yaml(raw, name)


def parse_yaml(raw: bytes, name: str) -> YamlDocument:
    where = Location(name)
    if len(raw) > MAX_FILE_BYTES:
        raise UnreadableInput(where, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB; split it into several files")
    try:
        text = raw.decode("utf-8-sig")  # a BOM is harmless, so accept it
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UnreadableInput(Location(name, line, col), "file is not valid UTF-8; re-save it as UTF-8") from None
    if "\x00" in text:
        raise UnreadableInput(where, "file contains a NUL byte; it is not a text file")
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(name, text, exc) from None
    except yaml.YAMLError as exc:
        raise UnreadableInput(where, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise UnreadableInput(where, f"YAML nests deeper than {MAX_DEPTH} levels") from None
    doc = YamlDocument(name, None)
    if node is None:
        return doc
    doc.data = _Builder(doc).build(node, (), 0)
    return doc


def _syntax_error(name: str, text: str, exc: yaml.MarkedYAMLError) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (exc.problem or "invalid YAML").strip()
    hint = ""
    at = mark.index if mark else -1
    if "\t" in problem or "tab" in problem or (0 <= at < len(text) and text[at] == "\t"):
        problem, hint = "tab character", "; indent and separate with spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        problem, hint = "mapping values are not allowed here", "; quote values that contain ': '"
    elif "found another document" in problem:
        problem, hint = "more than one document", "; a file holds one YAML document (remove the '---')"
    elif "could not find expected ':'" in problem:
        hint = "; every mapping line needs 'key: value'"
    return UnreadableInput(Location(name, line, col), f"invalid YAML: {problem}{hint}")


class _Builder:
    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.seen: set[int] = set()

    def _fail(self, node: yaml.Node, message: str) -> InputError:
        return InputError(Location(self.doc.path, node.start_mark.line + 1, node.start_mark.column + 1), message)

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self._fail(node, f"YAML nests deeper than {MAX_DEPTH} levels")
        if id(node) in self.seen:
            raise InputError(
                self.doc.key_location(path),
                "YAML anchors and aliases (&name / *name) are not supported; repeat the value",
            )
        self.seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            raise self._fail(node, f"YAML tag '{node.tag}' is not allowed; remove the tag")
        self.doc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self._fail(key_node, "mapping keys must be plain text")
                if key_node.tag == _TAG + "merge":
                    raise self._fail(key_node, "YAML merge keys (<<) are not supported; repeat the keys")
                key = str(key_node.value)
                # the key's own position, so an error in its value (e.g. an alias) can point here
                self.doc.key_positions[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if key in result:
                    raise self._fail(key_node, f"duplicate key '{key}'; each key may appear once in a mapping")
                result[key] = self.build(value_node, (*path, key), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        value: str = node.value
        if len(value) > MAX_SCALAR_CHARS:
            raise self._fail(node, f"value is longer than {MAX_SCALAR_CHARS:,} characters")
        if node.style or node.tag == _TAG + "str":  # quoted, block, or explicitly text ("" = plain in libyaml)
            return value
        if value in _NULLS:
            return None
        lowered = value.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if _INT.match(value):
            try:
                return int(value)
            except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
                raise self._fail(node, "number has more than 4,300 digits") from None
        if _FLOAT.match(value):
            return float(value)
        return value
