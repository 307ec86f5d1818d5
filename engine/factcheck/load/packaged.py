"""The default rule pack and vocabulary that install with factcheck, so a workspace anywhere can use them.

Their single source is the repository's top-level `rules/default.yaml` and `claims/*.yaml`; the build maps
those folders into the package as `factcheck/defaults/rules` and `factcheck/defaults/claims`
(pyproject.toml's package-dir). An installed factcheck reads them there; a source checkout (an editable
install) reads the repository's own files.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_INSTALLED = _PACKAGE / "defaults"
_CHECKOUT = _PACKAGE.parent.parent  # engine/factcheck -> the repository

RULES = "rules/default.yaml"
VOCABULARY = "claims/vocabulary.yaml"
EXAMPLE_CLAIMS = ("claims/gazetteer.yaml", "claims/duvar-2020-12-30-monitoring-center.yaml")


def packaged_file(relative: str) -> Path | None:
    """Where a default file is: in the installed package, else in the source checkout; None if neither."""
    for root in (_INSTALLED, _CHECKOUT):
        candidate = root / relative
        if candidate.is_file():
            return candidate
    return None


def default_rules() -> Path | None:
    return packaged_file(RULES)
