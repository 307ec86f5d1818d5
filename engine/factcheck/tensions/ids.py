"""Tension ids as people type them: a unique prefix of the fingerprint is enough (like git's short ids)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from factcheck.errors import UsageError

SHORT_ID = 10  # characters of a fingerprint that tables show
_HEX = re.compile(r"[0-9a-f]+\Z")


def clean_prefix(prefix: str) -> str:
    cleaned = prefix.strip().lower()
    if not _HEX.match(cleaned):
        raise UsageError(f"'{prefix}' is not a tension id (hex digits, as shown by 'factcheck run')")
    return cleaned


def resolve_prefix(prefix: str, ids: Iterable[str], where: str = "") -> str:
    """The one id of `ids` that starts with `prefix`; `where` names them in messages ('recorded ')."""
    cleaned = clean_prefix(prefix)
    hits = sorted(i for i in ids if i.startswith(cleaned))
    if not hits:
        raise UsageError(f"no {where}tension id starts with '{prefix}'")
    if len(hits) > 1:
        shown = ", ".join(h[:12] for h in hits[:10])
        raise UsageError(f"tension id prefix '{prefix}' is ambiguous ({shown}); give more characters")
    return hits[0]
