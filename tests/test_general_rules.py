"""The pieces the general default pack stands on: figures read as reporting writes them, days named by
reports, contrary predicates, kindred groups, the general terms a rule file declares, the entities its
inline tests share, and findings that ask one question. The pack's own inline tests (rules/default.yaml)
hold the look-alikes; these hold what those tests cannot reach."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, invoke, write
from factcheck.api import check
from factcheck.compile.pack import load_rules
from factcheck.errors import InputErrors
from factcheck.model.claim import Quantity
from factcheck.model.units import conversion
from factcheck.model.vocabulary import Term, Vocabulary


@pytest.mark.parametrize(
    ("figure", "bounds"),
    [
        ({"value": 4100}, (4050, 4150)),  # a round figure covers what rounds to it
        ({"value": 4093}, (4093, 4093)),  # a figure to its last digit is exact
        ({"value": 36}, (36, 36)),  # small counts are counts
        ({"value": 10000}, (9500, 10500)),  # read to two significant digits at least
        ({"value": 130000, "approx": "about"}, (123500, 136500)),  # +-5% is wider than the rounding
        ({"value": 115000, "approx": "at-least"}, (115000, 120750)),  # "more than" stops near the figure
        ({"value": 100000, "approx": "at-least"}, (100000, 200000)),  # ... at its next rounding step
        ({"value": 60, "approx": "at-most"}, (57, 60)),
        ({"value": 45000, "max": 50000}, (44500, 50500)),  # a range: each end as it is rounded
        ({"value": 150000, "max": 200000}, (145000, 205000)),  # so 200,000 lies in "150,000 to 200,000"
    ],
)
def test_figures_read_as_reported(figure: dict[str, object], bounds: tuple[float, float]) -> None:
    assert Quantity.model_validate(figure).reported_bounds() == pytest.approx(bounds)


@pytest.mark.parametrize(
    ("figure", "fix"),
    [
        ({"value": 50000, "max": 45000}, "put the smaller figure in `value`"),
        ({"value": 45000, "max": 50000, "approx": "at-least"}, "drop `approx: at-least`"),
    ],
)
def test_a_range_is_read_from_its_two_ends(figure: dict[str, object], fix: str) -> None:
    with pytest.raises(ValueError, match=fix):
        Quantity.model_validate(figure)


@pytest.mark.parametrize(
    ("unit", "into", "factor"),
    [
        ("feet", "m", 0.3048),
        ("Square miles", "square metres", 2589988.110336),
        ("minutes", "hours", 1 / 60),
        ("barrels", "gallons", 42),
        ("people", "bodies", None),  # counts of people have no conversion: other units never compare
        ("metres", "seconds", None),  # nor do other dimensions
        ("square km", "hectares", 100),
        ("sq nm", "km²", 3.429904),
        ("soldiers", "troops", 1),  # one unit under two names (ENCODING: one word per measure)
        ("servicemen", "military personnel", 1),
        ("persons", "people", 1),
        ("people", "troops", 1),  # one head-count: a contingent of 100 people is 100 soldiers
    ],
)
def test_units_of_measure_convert_within_a_dimension(unit: str, into: str, factor: float | None) -> None:
    assert conversion(unit, into) == (None if factor is None else pytest.approx(factor))


def test_opposites_are_inherited_by_narrower_terms_and_declared_on_either_side() -> None:
    lexicon = Vocabulary(
        {
            t.id: t
            for t in (
                Term(id="present-in", label="is present in"),
                Term(id="remain-in", label="remains in", broader=["present-in"]),
                Term(id="withdraw-from", label="withdraws from", opposite=["present-in"]),
                Term(id="leave", label="leaves", broader=["withdraw-from"]),
                Term(id="monitor", label="monitors"),
            )
        }
    )
    assert lexicon.opposed("remain-in", "leave") and lexicon.opposed("leave", "remain-in")
    assert not lexicon.opposed("remain-in", "present-in")
    assert not lexicon.opposed("monitor", "leave")


WORLD = """\
sources:
  - {id: wire, outlet: Wire, title: Story, published: 2005-01-20}
entities:
  - {id: health, name: Health Ministry, kind: institution}
  - {id: social, name: Social Affairs Ministry, kind: institution}
  - {id: dead, name: The dead, kind: group}
vocabulary:
  - {id: number, label: numbers}
  - {id: tally, label: numbers so far, broader: [number]}   # a toll: it only grows
claims:
"""


def figure(claim_id: str, speaker: str, when: str, count: str) -> str:
    return (
        f"  - {{id: {claim_id}, speaker: {speaker}, source: wire, said_on: 2005-01-20, when: '{when}', quote: q, "
        f"quote_kind: indirect, subject: dead, predicate: tally, qualifiers: {{count: {count}}}}}\n"
    )


def test_an_approximate_day_counts_as_the_day_it_names_but_a_month_names_none(tmp_path: Path) -> None:
    claims = (
        WORLD
        + figure("a", "health", "2005-01-19", "166320")
        + figure("b", "social", "~2005-01-19", "114978")  # the page does not say the day exactly
        + figure("c", "social", "2005-01", "90000")  # a month: no day to compare
    )
    write(tmp_path, "claims/c.yaml", claims)
    found = check([tmp_path / "claims"], [ROOT / "rules"]).tensions
    conflicts = [t for t in found if t.rule == "count-conflict"]
    assert [sorted(ids) for t in conflicts for ids in t.support] == [["a", "b"]]


def test_one_finding_per_counted_group_lists_every_pair_that_fell(tmp_path: Path) -> None:
    claims = (
        WORLD
        + figure("a", "health", "2010-02-09", "230000")
        + figure("b", "social", "2010-02-10", "210000")
        + figure("c", "health", "2010-02-15", "212000")
        + figure("d", "social", "2010-02-21", "170000")
    )
    write(tmp_path, "claims/c.yaml", claims)
    (fell,) = [t for t in check([tmp_path / "claims"], [ROOT / "rules"]).tensions if t.rule == "count-fell"]
    assert sorted(fell.support) == [["a", "b"], ["a", "c"], ["a", "d"], ["b", "d"], ["c", "d"]]


RULE_WITH_TERMS = """\
vocabulary:
  - {id: present-in, label: is present in}
test_entities:
  - {id: team, name: The team, kind: group}
rules:
  - id: denied
    title: t
    severity: low
    bindings:
      a: {predicate: {under: present-in}, polarity: negated}
    message: "{a.id}"
    tests:
      - name: sees the file's test entities
        claims:
          - {id: x, speaker: team, subject: team, predicate: present-in, polarity: negated}
        expect: [{a: x}]
"""


def test_a_rule_file_declares_the_general_terms_it_names(tmp_path: Path) -> None:
    write(tmp_path, "claims/c.yaml", WORLD)  # declares no presence term: the rule applies to nothing, no error
    write(tmp_path, "rules/r.yaml", RULE_WITH_TERMS)
    assert check([tmp_path / "claims"], [tmp_path / "rules"]).tensions == []
    tested = invoke("rules", "test", cwd=tmp_path)
    assert (tested.exit_code, tested.output.strip()) == (0, "1 passed, 0 failed")


def test_a_term_declared_twice_differently_is_refused_where_it_stands(tmp_path: Path) -> None:
    write(tmp_path, "rules/a.yaml", RULE_WITH_TERMS)
    write(tmp_path, "rules/b.yaml", "vocabulary:\n  - {id: present-in, label: stands in}\nrules: []\n")
    with pytest.raises(InputErrors) as raised:
        load_rules([tmp_path / "rules"])
    assert str(raised.value).splitlines() == [
        f"{tmp_path}/rules/b.yaml:2:5: term 'present-in' is declared twice, differently; keep one declaration"
    ]


def test_a_question_names_fields_of_bindings(tmp_path: Path) -> None:
    write(
        tmp_path,
        "rules/q.yaml",
        "rules:\n  - id: q\n    title: t\n    severity: low\n    bindings: {a: {}}\n"
        "    question: [a.subjet]\n    message: x\n",
    )
    with pytest.raises(InputErrors) as raised:
        load_rules([tmp_path / "rules"])
    assert str(raised.value) == (
        f"{tmp_path}/rules/q.yaml:6:16: rule 'q': 'question' lists binding.field items (e.g. a.subject); got 'a.subjet'; "
        "did you mean 'subject'?"
    )
