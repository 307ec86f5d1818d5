"""What changed in a finding since its verdict: the snapshot the reviewer saw against the one now, field
by field (the message, each bound claim's quote, reading, speaker, date and source, the supporting
reports). The review queue and the review page show it for a verdict "changed since review"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    what: str  # e.g. "message", "a: quote", "supporting reports"
    before: str
    after: str


_CLAIM_FIELDS = {  # what a bound claim shows, by its path in the snapshot
    "claim": ("claim",),
    "speaker": ("speaker", "name"),
    "said on": ("said_on",),
    "quote": ("quote",),
    "reading": ("reading",),
    "outlet": ("source", "outlet"),
    "url": ("source", "url"),
    "published": ("source", "published"),
}


def _at(document: Any, path: tuple[str, ...]) -> str:
    for key in path:
        document = document.get(key) if isinstance(document, dict) else None
    return "" if document is None else str(document)


def changes(then: dict[str, Any], now: dict[str, Any]) -> list[Change]:
    """The differences a reviewer can see, in reading order; empty when only what the finding does not
    show changed (the rule's definition, a claim's field no message uses)."""
    found: list[Change] = []
    for key in ("severity", "title", "message"):
        if str(then.get(key, "")) != str(now.get(key, "")):
            found.append(Change(key, str(then.get(key, "")), str(now.get(key, ""))))
    before = {c.get("binding", ""): c for c in then.get("claims", [])}
    after = {c.get("binding", ""): c for c in now.get("claims", [])}
    for binding in dict.fromkeys([*before, *after]):
        old, new = before.get(binding, {}), after.get(binding, {})
        for name, path in _CLAIM_FIELDS.items():
            if _at(old, path) != _at(new, path):
                found.append(Change(f"{binding}: {name}", _at(old, path), _at(new, path)))
    reports_then = {" + ".join(t) for t in then.get("support", [])}
    reports_now = {" + ".join(t) for t in now.get("support", [])}
    if reports_then != reports_now:
        found.append(
            Change(
                "supporting reports",
                "; ".join(sorted(reports_then - reports_now)) or "(none removed)",
                "; ".join(sorted(reports_now - reports_then)) or "(none added)",
            )
        )
    why_then = [f.get("detail", "") for f in then.get("explanation", [])]
    why_now = [f.get("detail", "") for f in now.get("explanation", [])]
    if why_then != why_now:
        found.append(Change("why", "; ".join(why_then), "; ".join(why_now)))
    return found
