"""The `factcheck` command: a thin click layer over factcheck.api and factcheck.review."""

from factcheck.cli import review as _review  # noqa: F401  (registers `factcheck review`)
from factcheck.cli import rules as _rules  # noqa: F401  (registers `factcheck rules`)
from factcheck.cli.main import main

__all__ = ["main"]
