"""One line of a JSON Lines file, read with the same limits as YAML: each key once per object, values
of at most MAX_SCALAR_CHARS characters, bounded nesting, numbers Python can hold.

Valid lines take the fast path (jiter parses and catches duplicate keys, pydantic validates); a line
that fails it is read again by `read_item` for a located, human message.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

import jiter
from pydantic import BaseModel

from factcheck.errors import Location, UnreadableInput
from factcheck.load.yaml_document import MAX_SCALAR_CHARS
from factcheck.model.claim import Claim

M = TypeVar("M", bound=BaseModel)

# A line holds one item whose values are at most MAX_SCALAR_CHARS characters each: ten such values is
# already far more than any claim, entity or source needs.
MAX_LINE_BYTES = 10 * MAX_SCALAR_CHARS
_DUPLICATE = re.compile(r'Detected duplicate key "(.*)" at line \d+ column (\d+)', re.DOTALL)


def fast_model(model_type: type[M], raw: bytes) -> M | None:
    """The validated item, or None when the line needs the slow path (invalid, a duplicate key, or long
    enough that a value may be over the limit)."""
    if len(raw) > MAX_SCALAR_CHARS:
        return None
    try:
        model = model_type.model_validate_json(raw)
        if raw.count(b":") != _known_keys(model):
            jiter.from_json(raw, catch_duplicate_keys=True)  # raises ValueError on a duplicate key
    except ValueError:  # invalid JSON, a duplicate key, too deep (pydantic's ValidationError too)
        return None
    return model


def _known_keys(model: BaseModel) -> int:
    """A lower bound on the distinct keys of the line `model` was validated from: the fields it was
    given, at the top and in a claim's qualifiers (other nested values may have been given as text).

    Every key is followed by one ':' outside strings, so a line holds at least as many ':' as keys, and
    at least as many keys as distinct ones. A line with exactly this many ':' therefore has no repeated
    key and no ':' inside a string: only other lines need the slower duplicate check."""
    count = len(model.model_fields_set)
    if isinstance(model, Claim) and "qualifiers" in model.model_fields_set:
        count += len(model.qualifiers.model_fields_set)
    return count


def read_item(raw: bytes, path: str, index: int) -> Any:
    """The line's JSON value, or an UnreadableInput saying where and what is wrong with it."""

    def fail(message: str, col: int = 1) -> UnreadableInput:
        return UnreadableInput(Location(path, index + 1, col), message)

    if len(raw) > MAX_LINE_BYTES:
        raise fail(f"line is longer than {MAX_LINE_BYTES:,} bytes; values are at most {MAX_SCALAR_CHARS:,} characters")
    try:
        jiter.from_json(raw, catch_duplicate_keys=True)
    except ValueError as exc:
        duplicate = _DUPLICATE.match(str(exc))
        if duplicate:
            raise fail(
                f"duplicate key '{duplicate[1]}'; each key may appear once in an object", int(duplicate[2])
            ) from None
    try:
        item = json.loads(raw.rstrip(b"\r\n"))
    except json.JSONDecodeError as exc:
        raise fail(f"invalid JSON: {exc.msg}", exc.colno) from None
    except UnicodeDecodeError:
        raise fail("invalid JSON: not valid UTF-8") from None
    except RecursionError:
        raise fail("invalid JSON: nested too deeply") from None
    except ValueError:  # int() refuses more digits than sys.get_int_max_str_digits()
        raise fail("invalid JSON: a number has more than 4,300 digits") from None
    _check_lengths(item, fail)
    return item


def _check_lengths(item: Any, fail: Any) -> None:
    stack = [item]
    while stack:
        value = stack.pop()
        if isinstance(value, str) and len(value) > MAX_SCALAR_CHARS:
            raise fail(f"value is longer than {MAX_SCALAR_CHARS:,} characters")
        if isinstance(value, dict):
            stack.extend(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
