"""`factcheck init`: a new workspace from the files installed with factcheck: claims/ (the vocabulary, the
gazetteer and the seed article as an example), rules/ (the default pack, to adapt) and factcheck.yaml."""

from __future__ import annotations

from pathlib import Path

from factcheck.errors import UsageError
from factcheck.load.packaged import EXAMPLE_CLAIMS, RULES, VOCABULARY, packaged_file
from factcheck.load.workspace import WORKSPACE_FILE

WORKSPACE_TEMPLATE = """\
# The workspace file: who publishes the reviews, and local changes to the rule pack.
# docs/publish.md (organisation) and docs/rules.md (severity, exclude) describe every key.
organisation:
  name: {name}          # ClaimReview's author: `factcheck review export --format claimreview`
  # url: https://example.org
rules:
  severity: {{}}          # rule id -> severity to use instead, e.g. weak-attribution: info
  exclude: []           # recorded exclusions: {{rule: ..., reason: ..., claims: [...]}}
"""


def init_workspace(folder: Path, organisation: str = "Our fact-checking desk") -> list[Path]:
    """Create the workspace's files in `folder` (created if missing); nothing is overwritten: a folder that
    already holds any of them is refused as it is. Returns the files written."""
    plan: dict[Path, str] = {}
    for relative in (VOCABULARY, *EXAMPLE_CLAIMS, RULES):
        source = packaged_file(relative)
        if source is None:
            raise UsageError(f"the installed factcheck lacks {relative}", "reinstall factcheck")
        plan[folder / relative] = source.read_text(encoding="utf-8")
    plan[folder / WORKSPACE_FILE] = WORKSPACE_TEMPLATE.format(name=organisation)
    present = [path for path in (folder / "claims", folder / "rules", folder / WORKSPACE_FILE) if path.exists()]
    if present:
        raise UsageError(
            f"{present[0]} already exists: this folder is a workspace already; nothing was changed",
            "run `factcheck init` in a new or empty folder",
        )
    written = []
    for path, text in plan.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
