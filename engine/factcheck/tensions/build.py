"""Rule matches -> Tension models."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from factcheck.compile.compiled import CompiledRule, Placeholder
from factcheck.compile.rule import READING
from factcheck.evaluate.matches import RuleMatch
from factcheck.model.claim import Claim
from factcheck.model.corpus import Corpus
from factcheck.model.fields import read_field, read_quantity
from factcheck.model.rule import Severity
from factcheck.model.tension import BoundClaim, Finding, PartyRef, SourceRef, Tension

MISSING = "(none)"
_SPACES = re.compile(r"[ \t]{2,}")
_BEFORE_CLOSING_QUOTE = re.compile(r' +"(?=[\s,;:.)]|$)')  # a space left before a closing quote


def fingerprint(rule_id: str, bindings: dict[str, str]) -> str:
    """Stable across runs and machines: depends only on the rule id and which claim fills which binding."""
    text = rule_id + "\n" + "\n".join(f"{name}={claim}" for name, claim in bindings.items())
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def question_of(claim: Claim) -> list[Any]:
    """What a claim says, apart from how and where it was reported (outlet, date, quote, attribution) and
    when what it reports happens: the reports of one statement share it, and so raise one question."""
    q = claim.qualifiers
    count = None if q.count is None else [q.count.value, q.count.approx.value, q.count.unit, q.count.per]
    if count is not None and q.count is not None and q.count.max is not None:
        count.append(q.count.max)  # only when given: the questions of earlier runs stay equal
    return [
        claim.speaker,
        claim.subject,
        claim.predicate,
        claim.object,
        repr(claim.value),
        claim.polarity.value,
        claim.status.value,
        count,
        q.place,
        q.means,
        q.condition,
        q.scope,
    ]


def build_tensions(matches: list[RuleMatch], corpus: Corpus) -> list[Tension]:
    """One tension per match (its id from the rule and its claims), most severe first."""
    tensions = [_tension(m, corpus) for m in matches]
    return sorted(tensions, key=lambda t: (-t.severity.rank, t.rule, t.id))


def group_findings(
    tensions: list[Tension], corpus: Corpus, rules: list[CompiledRule]
) -> tuple[list[Tension], dict[str, str]]:
    """One finding per question: tensions of a rule whose bindings say the same things (the same
    `question_of` for each binding) are one finding, listing every supporting tuple; a rule that states
    its question (`question: [earlier.subject]`) makes one finding of every tuple with the same values
    there. A finding's id depends on the rule and the question only, so it stays when a supporting report
    is added or removed. The digest a verdict is checked against covers the rule (its spec as data, less
    its inline tests) and every supporting claim: an edited or a new report flags it for a second look."""
    by_id = {r.id: r for r in rules}
    specs = {r.id: r.spec.model_dump(mode="json", exclude={"tests"}) for r in rules}
    groups: dict[tuple[str, str], list[Tension]] = {}
    for tension in tensions:
        bound = {c.binding: corpus.claims[c.claim] for c in tension.claims}
        asked = by_id[tension.rule].question
        if asked:
            key: list[Any] = [read_field(bound[ref.binding], ref.field) for ref in asked]
        else:
            key = [question_of(claim) for claim in bound.values()]
        questions = json.dumps(key, ensure_ascii=False, default=str)
        groups.setdefault((tension.rule, questions), []).append(tension)
    findings, digests = [], {}
    for (rule, questions), members in groups.items():
        members.sort(key=lambda t: [c.claim for c in t.claims])
        finding_id = hashlib.sha256(f"{rule}\n{questions}".encode()).hexdigest()[:40]
        support = [[c.claim for c in t.claims] for t in members]
        findings.append(members[0].model_copy(update={"id": finding_id, "support": support}))
        claims = [corpus.claims[c].model_dump(mode="json") for c in sorted({c for ids in support for c in ids})]
        about = json.dumps([specs[rule], claims], sort_keys=True, ensure_ascii=False)
        digests[finding_id] = hashlib.sha256(about.encode()).hexdigest()
    return sorted(findings, key=lambda t: (-t.severity.rank, t.rule, t.id)), digests


def _tension(match: RuleMatch, corpus: Corpus) -> Tension:
    rule = match.rule
    bound = dict(zip(rule.binding_names, match.claims, strict=True))
    return Tension(
        id=fingerprint(rule.id, {name: claim.id for name, claim in bound.items()}),
        rule=rule.id,
        severity=Severity(rule.spec.severity),
        title=rule.spec.title,
        message=render_message(rule, bound, match, corpus),
        claims=[_bound_claim(name, claim, corpus) for name, claim in bound.items()],
        explanation=[
            Finding(predicate=call.label, holds=outcome.holds, value=outcome.value, detail=outcome.detail)
            for call, outcome in match.findings
        ],
    )


def render_message(rule: CompiledRule, bound: dict[str, Claim], match: RuleMatch, corpus: Corpus) -> str:
    why: dict[str, str] = {}
    for call, outcome in match.findings:
        why.setdefault(call.builtin, outcome.value)
    out = []
    for part in rule.message:
        if isinstance(part, str):
            out.append(part)
        elif part.binding is None:
            out.append(why.get(part.field, MISSING))
        else:
            out.append(_render_value(part, bound[part.binding], corpus))
    # An absent object's name ("troops withdraw {a.object.name}" of a claim with none) leaves no "(none)"
    # in the prose, and no double space.
    text = _SPACES.sub(" ", "".join(out)).replace(" ,", ",").replace(" ;", ";").replace(" )", ")")
    return _BEFORE_CLOSING_QUOTE.sub('"', text).strip()  # '"the ferry sinks "' of a claim with no object


def _render_value(part: Placeholder, claim: Claim, corpus: Corpus) -> str:
    if part.field == READING:
        return reading(claim, corpus)
    if part.field == "qualifiers.count" and (quantity := read_quantity(claim, part.field)) is not None:
        return quantity.in_words()  # "more than 115,000 people", not 115000
    value: Any = read_field(claim, part.field)
    if part.field == "predicate" and part.attribute == "label":
        value = corpus.lexicon.label(value)
    elif part.attribute is not None and value is not None:
        target: Any = corpus.sources.get(value) if part.field == "source" else corpus.entities.get(value)
        value = getattr(target, part.attribute, None) if target is not None else None
    if value is None or value == []:
        return "" if part.field == "object" and part.attribute == "name" else MISSING
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def reading(claim: Claim, corpus: Corpus | None = None) -> str:
    """The structured reading on one line, e.g. 'turkish-peacekeepers NOT enter nagorno-karabakh [planned]';
    with a corpus, entities show by name and predicates by their label ('Turkish peacekeepers NOT enters
    Nagorno-Karabakh [planned]')."""

    def name(entity_id: str) -> str:
        return corpus.name_of(entity_id) if corpus else entity_id

    predicate = corpus.lexicon.label(claim.predicate) if corpus else claim.predicate
    words = [name(claim.subject), "NOT" if claim.polarity.value == "negated" else "", predicate]
    if claim.object:
        words.append(name(claim.object))
    if claim.value is not None:
        words.append(repr(claim.value))
    q = claim.qualifiers
    extras = [
        f"count={q.count}" if q.count is not None else "",
        f"place={name(q.place)}" if q.place else "",
        f"means={', '.join(q.means)}" if q.means else "",
        f"scope={q.scope}" if q.scope else "",
        f"condition={q.condition}" if q.condition else "",
        f"when={claim.when}" if claim.when is not None else "",
    ]
    extras = [e for e in extras if e]
    text = " ".join(w for w in words if w) + f" [{claim.status.value}]"
    return text + (f" ({'; '.join(extras)})" if extras else "")


def _bound_claim(binding: str, claim: Claim, corpus: Corpus) -> BoundClaim:
    speaker = corpus.entities[claim.speaker]
    source = corpus.sources[claim.source]
    return BoundClaim(
        binding=binding,
        claim=claim.id,
        speaker=PartyRef(id=speaker.id, name=speaker.name, role=speaker.role),
        said_on=str(claim.said_on),
        quote=claim.quote,
        quote_kind=claim.quote_kind,
        reading=reading(claim),
        topics=list(claim.topics),
        source=SourceRef(
            id=source.id, outlet=source.outlet, title=source.title, url=source.url, published=str(source.published)
        ),
    )
