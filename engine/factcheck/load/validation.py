"""Turn pydantic validation errors into one-line, positioned messages for people."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from factcheck.errors import InputError
from factcheck.load.yaml_document import PathKey, Positioned, YamlDocument

M = TypeVar("M", bound=BaseModel)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys a nested model accepts at `loc` (for did-you-mean on unknown keys)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        annotation = fields[part].annotation
        current = next(
            (a for a in getattr(annotation, "__args__", (annotation,)) if hasattr(a, "model_fields")),
            annotation,
        )
    return list(getattr(current, "model_fields", {}))


# Keys of earlier versions, and where what they said goes now.
MOVED = {
    "qualifiers.time": "the time a claim is about is now `when:` on the claim (a date, {from, until} or {by})",
    "qualifiers.composition": "a composition is now the count's parts: count: {value: 36, parts: [{value: 1, "
    "unit: general}, {value: 35, unit: officers}]}",
}


def validate(model: type[M], data: Any, doc: Positioned, path: PathKey, what: str) -> M:
    """Validate one YAML item; raise InputError for its first problem, positioned in the file."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # an unknown key usually explains a 'missing' one (a typo), so report it first
        error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = tuple(error["loc"])
        field = ".".join(str(p) for p in loc)
        kind = error["type"]
        if kind == "extra_forbidden":
            moved = MOVED.get(field)
            hint = f"; {moved}" if moved else did_you_mean(str(loc[-1]), _allowed_keys(model, loc))
            message = f"unknown key '{loc[-1]}'{hint}"
        elif kind == "missing":
            message = f"missing required key '{field}'"
        else:
            text = error["msg"].removeprefix("Value error, ")
            message = f"'{field}': {text}" if field else text
            if kind == "string_pattern_mismatch":
                message = f"'{field}': {error['input']!r} is not a valid id; use lowercase letters, digits and '-'"
        if kind == "extra_forbidden":
            raise doc.key_error((*path, *loc), f"{what}: {message}") from None
        raise doc.error((*path, *loc), f"{what}: {message}") from None


def require_mapping(doc: Positioned, data: Any, path: PathKey, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise doc.error(path, f"{what} must be a mapping of 'key: value' lines")
    return data


def require_list(doc: YamlDocument, data: Any, path: PathKey, what: str) -> list[Any]:
    if not isinstance(data, list):
        raise doc.error(path, f"'{what}' must be a list of items, each starting with '- '")
    return data


def collect(errors: list[InputError], error: InputError, limit: int = 50) -> None:
    if len(errors) < limit:
        errors.append(error)
