"""Truth benchmark: the rule pack on real statements, against a fact-checker's labels.

    python benchmarks/truth.py [--rules rules] [--story tsunami-2004-tolls ...] [--show-unlabelled]

Each story under benchmarks/truth/ holds `claims/` (the statements encoded as claims, ids = statement ids) and
`labels.yaml` (tensions a fact-checker flags, and look-alikes that must stay silent), written apart. A finding
is one question, supported by one or more tuples of claims (equivalent reports). A labelled tension is found
when one of a finding's tuples binds only its statements (at least two of them; one for a single-statement
label such as weak attribution). A finding is right when it is such a match, wrong when it binds only the
statements of a look-alike, and unlabelled otherwise: those are listed for a person to judge.
Precision is given over all findings (unlabelled counted as wrong) and over the judged ones.

With `--ceiling`, two reference points from the claims alone, no rule involved: how many labelled tensions
any rule that joins two claims on their subject could ever find (some two of the label's statements have
claims about one subject), and the naive rule that flags every such pair (its recall, and its precision over
those pairs, a pair counted right when it binds only a labelled tension's statements or a second reader
judged it one).
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from factcheck.api import check
from factcheck.model.claim import Claim
from factcheck.model.tension import Tension

HERE = Path(__file__).resolve().parent
TRUTH = HERE / "truth"


@dataclass
class Label:
    id: str
    statements: frozenset[str]
    kind: str
    why: str
    # a judgement of how one statement is attributed (weak-attribution / attribution-adequate), which only a
    # flag about one claim is scored against; a statement's two readings in tension are judged apart
    attribution: bool = False


ATTRIBUTION_KINDS = ("weak-attribution", "attribution-adequate")


@dataclass
class Score:
    right: int = 0
    wrong: int = 0
    unlabelled: int = 0
    # of the unlabelled, what a second reader judged afterwards (judged.yaml); kept apart from the labels
    judged_right: int = 0
    judged_wrong: int = 0

    @property
    def findings(self) -> int:
        return self.right + self.wrong + self.unlabelled


@dataclass
class StoryResult:
    story: str
    labels: list[Label]
    found: set[str] = field(default_factory=set)  # labelled tension ids found
    by_rule: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    unlabelled: list[Tension] = field(default_factory=list)
    flag_rules: set[str] = field(default_factory=set)  # rules of one binding: about one claim, not two
    wrong: list[tuple[Tension, Label]] = field(default_factory=list)
    reachable: set[str] = field(default_factory=set)  # labelled tensions a same-subject pair can bind
    pairs: Score = field(default_factory=Score)  # every same-subject pair, as the naive rule would flag it
    pairs_found: set[str] = field(default_factory=set)


SECOND_READING = re.compile(r"(s\d+)[b-z]")


def load_labels(path: Path) -> tuple[list[Label], list[Label]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(data) - {"tensions", "non_tensions"}
    if unknown:  # a misnamed section would silently drop its labels from the score
        raise SystemExit(f"{path}: unknown section(s) {sorted(unknown)}; labels.yaml has 'tensions' and 'non_tensions'")

    def read(items: list[dict[str, object]]) -> list[Label]:
        return [
            Label(str(i["id"]), frozenset(map(str, i["statements"])), str(i["kind"]), str(i.get("why", "")))
            for i in items or []
        ]

    return read(data.get("tensions", [])), read(data.get("non_tensions", []))


def load_judgements(path: Path) -> list[Label]:
    """judged.yaml: groups a second reader judged after the pack ran (verdict tension / look-alike / unclear)."""
    if not path.exists():
        return []
    items = yaml.safe_load(path.read_text(encoding="utf-8")).get("judgements") or []
    return [
        Label(
            f"j{n}",
            frozenset(map(str, i["statements"])),
            str(i["verdict"]),
            str(i.get("why", "")),
            i.get("kind") in ATTRIBUTION_KINDS,
        )
        for n, i in enumerate(items)
    ]


def statement_of(claim_id: str) -> str:
    """The statement a claim reads: its own id, or for a second reading of one statement (`s004b`, `s004c`:
    a statement that asserts two checkable facts) the statement's."""
    second = SECOND_READING.fullmatch(claim_id)
    return second.group(1) if second else claim_id


def matches(finding: frozenset[str], label: Label) -> bool:
    if len(label.statements) == 1:
        return finding == label.statements
    return len(finding) >= 2 and finding <= label.statements


def score_story(folder: Path, rules: Path) -> StoryResult:
    tensions, look_alikes = load_labels(folder / "labels.yaml")
    judgements = load_judgements(folder / "judged.yaml")
    result = StoryResult(folder.name, tensions)
    checked = check([folder / "claims"], [rules])
    result.flag_rules = {rule.id for rule in checked.rules.rules if len(rule.bindings) == 1}
    for tension in checked.tensions:
        supporting = [frozenset(map(statement_of, ids)) for ids in tension.support] or [
            frozenset(statement_of(c.claim) for c in tension.claims)
        ]
        hits = [label for label in tensions if any(matches(bound, label) for bound in supporting)]
        score = result.by_rule[tension.rule]
        if hits:
            score.right += 1
            result.found |= {label.id for label in hits}
            continue
        decoy = next((label for label in look_alikes if any(matches(b, label) for b in supporting)), None)
        if decoy is not None:
            score.wrong += 1
            result.wrong.append((tension, decoy))
        else:
            score.unlabelled += 1
            result.unlabelled.append(tension)
            flag = tension.rule in result.flag_rules
            verdicts = {
                j.kind for j in judgements if j.attribution == flag and any(b == j.statements for b in supporting)
            }
            score.judged_right += "tension" in verdicts
            score.judged_wrong += "tension" not in verdicts and "look-alike" in verdicts
    same_subject_pairs(result, checked.corpus.claims.values(), look_alikes, judgements)
    return result


def same_subject_pairs(
    result: StoryResult, claims: Iterable[Claim], look_alikes: list[Label], judgements: list[Label]
) -> None:
    """The naive rule: every two statements with a claim each about one subject, one finding per pair."""
    by_subject: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        by_subject[claim.subject].add(statement_of(claim.id))
    pairs = {frozenset(p) for ids in by_subject.values() for p in itertools.combinations(sorted(ids), 2)}
    for pair in pairs:
        hits = {label.id for label in result.labels if matches(pair, label)}
        result.reachable |= hits
        if hits:
            result.pairs.right += 1
        elif any(matches(pair, label) for label in look_alikes):
            result.pairs.wrong += 1
        else:
            result.pairs.unlabelled += 1
            verdicts = {j.kind for j in judgements if not j.attribution and j.statements == pair}
            result.pairs.judged_right += "tension" in verdicts
            result.pairs.judged_wrong += "tension" not in verdicts and "look-alike" in verdicts
    result.pairs_found = set(result.reachable)
    result.reachable |= result.found  # a rule that joins on something else (a part and its whole) counts too


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "n/a"


def report(results: list[StoryResult], show_unlabelled: bool, show_missed: bool = False, ceiling: bool = False) -> None:
    rules: dict[str, Score] = defaultdict(Score)
    kinds: Counter[str] = Counter()
    kinds_found: Counter[str] = Counter()
    for result in results:
        for rule, score in result.by_rule.items():
            rules[rule].right += score.right
            rules[rule].wrong += score.wrong
            rules[rule].unlabelled += score.unlabelled
            rules[rule].judged_right += score.judged_right
            rules[rule].judged_wrong += score.judged_wrong
        for label in result.labels:
            kinds[label.kind] += 1
            kinds_found[label.kind] += label.id in result.found
    print("| story | labelled tensions | found | recall | findings | right | look-alikes flagged | unlabelled |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        total = Score(
            sum(s.right for s in r.by_rule.values()),
            sum(s.wrong for s in r.by_rule.values()),
            sum(s.unlabelled for s in r.by_rule.values()),
        )
        print(
            f"| {r.story} | {len(r.labels)} | {len(r.found)} | {ratio(len(r.found), len(r.labels))} | "
            f"{total.findings} | {total.right} | {total.wrong} | {total.unlabelled} |"
        )
    labelled = sum(len(r.labels) for r in results)
    found = sum(len(r.found) for r in results)
    print()
    print(f"recall {ratio(found, labelled)} ({found}/{labelled} labelled tensions found)")
    # Flags about one claim (weak attribution) are reported apart from tensions between claims, as the
    # report does: their precision is given on its own line.
    flags = {rule for result in results for rule in result.flag_rules}
    for what, chosen in (
        ("tensions between claims", [s for rule, s in rules.items() if rule not in flags]),
        ("flags about one claim", [s for rule, s in rules.items() if rule in flags]),
    ):
        right = sum(s.right for s in chosen)
        wrong = sum(s.wrong for s in chosen)
        everything = sum(s.findings for s in chosen)
        print(
            f"precision, {what}: {ratio(right, everything)} over all {everything} findings (unlabelled counted "
            f"as wrong), {ratio(right, right + wrong)} over the {right + wrong} labelled ones"
        )
        later_right, later_wrong = sum(s.judged_right for s in chosen), sum(s.judged_wrong for s in chosen)
        if later_right + later_wrong:
            still = everything - right - wrong - later_right - later_wrong
            print(
                f"  with a second reader's later judgements of the unlabelled (judged.yaml, apart from the labels): "
                f"{ratio(right + later_right, everything)} over all (the {still} still unjudged counted as wrong), "
                f"{ratio(right + later_right, right + wrong + later_right + later_wrong)} over the "
                f"{right + wrong + later_right + later_wrong} judged"
            )
    if ceiling:
        report_ceiling(results, labelled, found)
    print("\n| rule | findings | right | look-alikes | unlabelled | precision | judged right | with judgements |")
    print("|---|---|---|---|---|---|---|---|")
    for rule, s in sorted(rules.items()):
        print(
            f"| {rule} | {s.findings} | {s.right} | {s.wrong} | {s.unlabelled} | {ratio(s.right, s.findings)} | "
            f"{s.judged_right} | {ratio(s.right + s.judged_right, s.findings)} |"
        )
    print("\n| labelled kind | tensions | found | recall |")
    print("|---|---|---|---|")
    for kind, n in sorted(kinds.items()):
        print(f"| {kind} | {n} | {kinds_found[kind]} | {ratio(kinds_found[kind], n)} |")
    for r in results:
        for tension, decoy in r.wrong:
            claims = ", ".join(c.claim for c in tension.claims)
            print(f"\nlook-alike flagged: {r.story} {tension.rule} [{claims}] = {decoy.id} ({decoy.kind}): {decoy.why}")
        if show_missed:
            for label in r.labels:
                if label.id not in r.found:
                    print(f"\nmissed: {r.story} {label.id} ({label.kind}) {sorted(label.statements)}: {label.why}")
        if show_unlabelled:
            for tension in r.unlabelled:
                claims = ", ".join(c.claim for c in tension.claims)
                print(f"\nunlabelled, to judge: {r.story} {tension.rule} [{claims}]\n  {tension.message}")


def report_ceiling(results: list[StoryResult], labelled: int, found: int) -> None:
    reachable = sum(len(r.reachable) for r in results)
    naive_found = sum(len(r.pairs_found) for r in results)
    pairs = Score(
        sum(r.pairs.right for r in results),
        sum(r.pairs.wrong for r in results),
        sum(r.pairs.unlabelled for r in results),
        sum(r.pairs.judged_right for r in results),
        sum(r.pairs.judged_wrong for r in results),
    )
    print(
        f"ceiling: {ratio(reachable, labelled)} ({reachable}/{labelled}) of the labelled tensions are found or have "
        f"two statements with claims about one subject; the other {labelled - reachable} need claims linked "
        f"some other way"
    )
    print(
        f"naive rule (every two statements with claims about one subject): recall {ratio(naive_found, labelled)}, "
        f"precision {ratio(pairs.right + pairs.judged_right, pairs.findings)} over its {pairs.findings} pairs "
        f"(the pack: recall {ratio(found, labelled)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=Path, default=HERE.parent / "rules")
    parser.add_argument(
        "--story", nargs="+", action="extend", default=None, help="story folder names (default: every encoded one)"
    )
    parser.add_argument("--show-unlabelled", action="store_true", help="list the findings nobody labelled")
    parser.add_argument("--show-missed", action="store_true", help="list the labelled tensions no finding matches")
    parser.add_argument(
        "--ceiling", action="store_true", help="the recall any same-subject rule could reach, and a naive rule's"
    )
    args = parser.parse_args()
    stories = sorted(p for p in TRUTH.iterdir() if (p / "claims").is_dir() and (p / "labels.yaml").exists())
    if args.story:
        stories = [p for p in stories if p.name in args.story]
    if not stories:
        print("no encoded story under benchmarks/truth/ (each needs claims/ and labels.yaml)", file=sys.stderr)
        return 2
    results = [score_story(folder, args.rules) for folder in stories]
    report(results, args.show_unlabelled, args.show_missed, args.ceiling)
    return 0


if __name__ == "__main__":
    sys.exit(main())
