"""The workspace file (`factcheck.yaml`): local severity overrides and recorded exclusions, so a team
can adapt a shared rule pack without editing it (like Wikidata's constraint exceptions), and the
organisation that publishes its reviews (ClaimReview's author)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from factcheck.errors import InputError, InputErrors
from factcheck.load.files import display_name
from factcheck.load.validation import did_you_mean, require_mapping, validate
from factcheck.load.yaml_document import YamlDocument, read_yaml
from factcheck.model.rule import RuleSpec, Severity
from factcheck.model.tension import Tension

WORKSPACE_FILE = Path("factcheck.yaml")


class Exclusion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str
    reason: str = Field(min_length=1, description="why: recorded and shown by 'factcheck rules list'")
    claims: list[str] = Field(
        default=[], description="only tensions binding one of these claims; empty: the whole rule"
    )


class WorkspaceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    severity: dict[str, Severity] = Field(default={}, description="rule id -> severity to use instead")
    exclude: list[Exclusion] = []


class Organisation(BaseModel):
    """Who publishes the reviews: ClaimReview's `author`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="e.g. 'Example Fact Check'")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$", description="the organisation's site")


TOP_KEYS = ["rules", "organisation"]


class Workspace:
    def __init__(
        self, config: WorkspaceConfig, doc: YamlDocument | None, organisation: Organisation | None = None
    ) -> None:
        self.config = config
        self.doc = doc
        self.organisation = organisation

    def apply(self, rules: list[RuleSpec]) -> None:
        """Check every rule id the file names, then override severities in place."""
        known = {r.id: r for r in rules}
        errors = []
        assert self.doc is not None or not (self.config.severity or self.config.exclude)
        for rule_id in self.config.severity:
            if rule_id not in known:
                errors.append(self._unknown(("rules", "severity", rule_id), rule_id, list(known)))
        for i, exclusion in enumerate(self.config.exclude):
            if exclusion.rule not in known:
                errors.append(self._unknown(("rules", "exclude", i, "rule"), exclusion.rule, list(known)))
        if errors:
            raise InputErrors(errors)
        for rule_id, severity in self.config.severity.items():
            known[rule_id].severity = severity

    def _unknown(self, path: tuple[str | int, ...], rule_id: str, known: list[str]) -> InputError:
        assert self.doc is not None
        return self.doc.key_error(path, f"unknown rule '{rule_id}'{did_you_mean(rule_id, known)}")

    def excluded_rule(self, rule_id: str) -> str | None:
        """The recorded reason when the whole rule is excluded."""
        return next((e.reason for e in self.config.exclude if e.rule == rule_id and not e.claims), None)

    def keep(self, tension: Tension) -> bool:
        bound = {c.claim for c in tension.claims}
        return not any(e.rule == tension.rule and (not e.claims or bound & set(e.claims)) for e in self.config.exclude)


def load_workspace(path: Path | None = None) -> Workspace:
    """Read `path`, or ./factcheck.yaml when it exists; no file means no overrides."""
    file = path or WORKSPACE_FILE
    if path is None and not file.exists():
        return Workspace(WorkspaceConfig(), None)
    doc = read_yaml(file, display_name(file))
    if doc.data is None:
        return Workspace(WorkspaceConfig(), doc)
    top = require_mapping(doc, doc.data, (), "the workspace file")
    unknown = [k for k in top if k not in TOP_KEYS]
    if unknown:
        raise doc.key_error(
            (unknown[0],),
            f"unknown key '{unknown[0]}'{did_you_mean(unknown[0], TOP_KEYS)}; "
            "the workspace file holds 'rules:' (severity, exclude) and 'organisation:' (name, url)",
        )
    config = validate(WorkspaceConfig, top.get("rules") or {}, doc, ("rules",), "workspace rules")
    organisation = None
    if top.get("organisation") is not None:
        organisation = validate(Organisation, top["organisation"], doc, ("organisation",), "the organisation")
    return Workspace(config, doc, organisation)
