"""What a rule pack cannot read in a corpus: claims encoded so that rules meant for them pass them by, silently.

A newcomer's encoding loses findings without any error: a figure with no `when` is never compared as of a day,
a corpus that re-declares `located-in` without `single_valued` turns the pack's place rules off (the corpus's
declaration wins), "not-enter" as a predicate hides a denial from every rule that reads `polarity`, and a
count of 0 denied says the opposite of "not a single one". These
are warnings (`factcheck rules validate`), each at the claim or term it is about, naming the rules concerned.
"""

from __future__ import annotations

from collections.abc import Iterable

from factcheck.compile.compiled import CompiledRule
from factcheck.compile.lint import FindingLevel, LintFinding
from factcheck.compile.pack import RulePack
from factcheck.evaluate.field_tests import passes, passes_value
from factcheck.evaluate.vocabulary import resolve_terms
from factcheck.language.field_tests import FieldTest, Operator
from factcheck.language.terms import FieldRef
from factcheck.model.corpus import Corpus
from factcheck.model.vocabulary import Term, TermKind

MAX_PER_KIND = 20  # a corpus of a million claims gets a sample and a count, not a million lines
NEGATIONS = ("not-", "never-", "no-longer-")  # a predicate's name that starts so, or holds "-not-"


def lint_claims(pack: RulePack, corpus: Corpus) -> list[LintFinding]:
    rules = pack.enabled
    return [
        *_shadowed_terms(pack, corpus, rules),
        *_negated_terms(corpus, rules),
        *_undated_figures(pack, corpus, rules),
        *_denied_zeros(corpus),
    ]


def _denied_zeros(corpus: Corpus) -> list[LintFinding]:
    """A count of 0 denied: "not a single soldier was left" encoded as `count: 0, polarity: negated` says there
    were some, the opposite of the words, and no rule reads it as the absence it reports."""
    if not len(corpus.claims):
        return []
    table = corpus.claims
    columns = zip(table.column("id"), table.column("polarity"), table.column("qualifiers.count"), strict=True)
    zeros = [claim_id for claim_id, polarity, count in columns if polarity == "negated" and count == 0]
    findings = [
        _warn(
            corpus,
            "claim",
            claim_id,
            "polarity",
            f"claim '{claim_id}' denies a count of 0, which says there were some: 'not a single one was left' is "
            "`count: 0` affirmed (or the act affirmed, e.g. `withdraw-from` done with `scope: all`)",
        )
        for claim_id in zeros[:MAX_PER_KIND]
    ]
    if len(zeros) > MAX_PER_KIND:
        findings.append(
            LintFinding(findings[-1].location, FindingLevel.warning, f"... and {len(zeros) - MAX_PER_KIND} more")
        )
    return findings


def _names(rules: Iterable[CompiledRule]) -> str:
    ids = sorted({r.id for r in rules})
    return ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


def _warn(corpus: Corpus, kind: str, item: str, field_path: str, message: str) -> LintFinding:
    return LintFinding(corpus.location(kind, item, field_path), FindingLevel.warning, message)


def _calls(rules: Iterable[CompiledRule], builtin: str) -> list[CompiledRule]:
    return [r for r in rules if any(c.builtin == builtin and not c.negated for c in r.predicates)]


def _shadowed_terms(pack: RulePack, corpus: Corpus, rules: list[CompiledRule]) -> list[LintFinding]:
    """A corpus term that re-declares one of the pack's and so loses what the pack's rules rely on (judged
    in the merged vocabulary: an opposite the corpus declares on the other side still counts)."""
    findings = []
    merged = pack.lexicon(corpus)
    single = _calls(rules, "single-valued")
    opposite = _calls(rules, "opposite-terms") + _calls(rules, "has-opposite")
    for term_id in sorted(corpus.vocabulary):
        theirs: Term | None = pack.vocabulary.get(term_id)
        if theirs is None:
            continue
        lost: list[tuple[str, list[CompiledRule], str]] = []
        if theirs.single_valued and not merged.single_valued(term_id) and single:
            lost.append(("single_valued: true", single, "one value at a time"))
        gone = sorted(o for o in theirs.opposite if not merged.opposed(term_id, o))
        if gone and opposite:
            lost.append((f"opposite: [{', '.join(gone)}]", opposite, "contrary terms"))
        dropped = {b for b in theirs.broader if b not in merged.broader_closure(term_id)}
        under = [r for r in rules if _tests_under(r, dropped)]
        if under:
            lost.append((f"broader: [{', '.join(sorted(dropped))}]", under, "a family of terms"))
        findings += [
            _warn(
                corpus,
                "term",
                term_id,
                "",
                f"term '{term_id}' is declared here without {what}, which the rule pack's declaration gives it; "
                f"the corpus's declaration wins, so rules that need {why} ({_names(needing)}) pass its claims "
                f"by. Add {what}, or drop this declaration to use the pack's",
            )
            for what, needing, why in lost
        ]
    return findings


def _tests_under(rule: CompiledRule, terms: set[str]) -> bool:
    return bool(terms) and any(
        t.op is Operator.under and t.value in terms for b in rule.tested_bindings for t in b.tests
    )


def _negated_terms(corpus: Corpus, rules: list[CompiledRule]) -> list[LintFinding]:
    """A predicate that carries the denial in its name: rules compare affirmed and negated claims by polarity."""
    reading = [r for r in rules if any(t.field == "polarity" for b in r.tested_bindings for t in b.tests)]
    if not reading:
        return []
    findings = []
    for term_id, term in sorted(corpus.vocabulary.items()):
        positive = _without_negation(term_id)
        if term.kind is TermKind.predicate and positive:
            findings.append(
                _warn(
                    corpus,
                    "term",
                    term_id,
                    "",
                    f"term '{term_id}' says the denial in its name; rules that set a denial against an affirmation "
                    f"({_names(reading)}) read `polarity`: use '{positive}' with `polarity: negated`",
                )
            )
    return findings


def _without_negation(term_id: str) -> str:
    """'not-enter' -> 'enter', 'did-not-enter' -> 'enter'; '' for a term with no negation in its name."""
    for prefix in NEGATIONS:
        if term_id.startswith(prefix) and len(term_id) > len(prefix):
            return term_id[len(prefix) :]
    _, found, after = term_id.partition("-not-")
    return after if found and after else ""


def _undated_figures(pack: RulePack, corpus: Corpus, rules: list[CompiledRule]) -> list[LintFinding]:
    """Figures with no `when` that only rules comparing figures by their day would take: a figure that some
    rule reads undated (a distance that holds at any time) is not reported."""
    resolved = resolve_terms(rules, pack.lexicon(corpus))
    dating: list[tuple[CompiledRule, tuple[FieldTest, ...]]] = []
    undated_readers: list[tuple[FieldTest, ...]] = []  # bindings written for figures with no day
    for rule in resolved:
        for binding in rule.bindings:
            if not any(_holds_a_figure(t) for t in binding.tests):
                continue
            if any(t.field == "when" and t.op is Operator.exists and t.value is False for t in binding.tests):
                undated_readers.append(binding.tests)
            elif _needs_a_day(rule, binding.name):
                dating.append((rule, tuple(t for t in binding.tests if t.field != "when")))
    if not dating or not len(corpus.claims):
        return []
    counts, whens, ids = (corpus.claims.column(path) for path in ("qualifiers.count", "when", "id"))
    undated: list[str] = []
    needing: dict[str, CompiledRule] = {}
    table = corpus.claims

    def accepts(position: int, tests: tuple[FieldTest, ...]) -> bool:
        """The binding's field tests, read off the table's columns: no claim is rebuilt (a million figures)."""
        return all(
            passes_value(t, table.value(t.field, position))
            if t.field in table.columns
            else passes(t, table.at(position))
            for t in tests
        )

    for position, (count, when) in enumerate(zip(counts, whens, strict=True)):
        if count is None or when is not None:
            continue
        if any(accepts(position, tests) for tests in undated_readers):
            continue
        wanted = [rule for rule, tests in dating if accepts(position, tests)]
        if wanted:
            undated.append(ids[position])
            needing.update((rule.id, rule) for rule in wanted)
    names = _names(needing.values())
    findings = [
        _warn(
            corpus,
            "claim",
            claim_id,
            "qualifiers.count",
            f"claim '{claim_id}' gives a figure but no `when`: the rules that compare such figures do so as of "
            f"a day ({names}) and never read it. Give `when`, the day the figure is as of "
            "(docs/default-pack.md, 'What the rules read')",
        )
        for claim_id in undated[:MAX_PER_KIND]
    ]
    if len(undated) > MAX_PER_KIND:
        findings.append(
            LintFinding(
                findings[-1].location,
                FindingLevel.warning,
                f"... and {len(undated) - MAX_PER_KIND} more figures with no `when`",
            )
        )
    return findings


def _holds_a_figure(test: FieldTest) -> bool:
    """A field test a claim passes only with a figure (`qualifiers.count: {exists: true}`, a unit of it)."""
    return test.field.startswith("qualifiers.count") and not (test.op is Operator.exists and test.value is False)


# built-ins that never hold for a claim with no `when` (`overlaps` does: an unknown time may overlap anything)
DAY_BUILTINS = frozenset({"days-apart", "before", "time-difference", "during"})


def _needs_a_day(rule: CompiledRule, binding: str) -> bool:
    """A built-in of the rule that needs the binding's `when` to hold."""
    return any(
        isinstance(arg, FieldRef) and arg.binding == binding and arg.field == "when"
        for call in rule.predicates
        if call.builtin in DAY_BUILTINS and not call.negated
        for arg in call.args.values()
    )
