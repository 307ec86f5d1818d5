"""Contributor sessions, each in a fresh virtualenv with the project installed from this checkout.

nox                 # lint and tests (the default sessions)
nox -s lint         # ruff check, ruff format --check, mypy (strict, configured in pyproject.toml)
nox -s tests        # the README's test command; extra arguments go to pytest: nox -s tests -- tests/test_docs.py
nox -s bench        # the benchmark smoke test CI runs: every variant finds exactly the planted tensions
"""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_venv = "yes"  # durable-rules compiles a C extension: build each session's env once


@nox.session
def lint(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("python", "-m", "pytest", "-q", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    session.install("-e", ".[dev,bench]")
    session.run("python", "benchmarks/run.py", "--sizes", "10000", *session.posargs)
