"""`factcheck rules validate` warns of claims the rule pack would pass by: a figure with no day where figures are
compared by their day, a corpus term that drops what the pack's declaration of it gives, a denial in a name."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, invoke, write


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The default rule pack and a corpus of the test's own (not the seed's)."""
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    return tmp_path


HEAD = """\
sources:
  - {id: src, outlet: The Daily, title: T, url: 'https://example.org/a', published: 2020-01-02}
entities:
  - {id: gov, name: The government, kind: state}
  - {id: army, name: The army, kind: institution}
  - {id: dead, name: The dead, kind: group}
  - {id: town, name: Town, kind: place}
  - {id: road, name: The road, kind: place}
"""

CLAIM = "  - {{id: {id}, speaker: gov, source: src, said_on: 2020-01-02, quote: q, quote_kind: indirect, {rest}}}\n"


def corpus(folder: Path, vocabulary: str, claims: list[tuple[str, str]]) -> None:
    body = "claims:\n" + "".join(CLAIM.format(id=i, rest=rest) for i, rest in claims)
    write(folder, "claims/corpus.yaml", HEAD + "vocabulary:\n" + vocabulary + body)


def validate(folder: Path) -> tuple[int, list[str]]:
    """`rules validate`'s exit code and warning lines; a clean run must also say so."""
    result = invoke("rules", "validate", cwd=folder)
    warnings = [line for line in result.output.splitlines() if ": warning:" in line]
    assert warnings or result.output.strip().endswith("file(s): no findings"), result.output
    return result.exit_code, warnings


def test_a_figure_with_no_day_is_named_where_figures_are_compared_by_day(workspace: Path) -> None:
    corpus(
        workspace,
        "  - {id: tally, label: numbers so far, broader: [number]}\n  - {id: number, label: numbers, single_valued: true}\n",
        [
            ("dated", "subject: dead, predicate: tally, when: 2020-01-01, qualifiers: {count: 5}"),
            ("undated", "subject: dead, predicate: tally, qualifiers: {count: 7}"),
        ],
    )
    code, lines = validate(workspace)
    assert (code, len(lines)) == (1, 1), lines
    assert re.match(r"claims/corpus\.yaml:14:\d+: warning: ", lines[0])  # the undated claim's line
    assert "claim 'undated' gives a figure but no `when`" in lines[0]
    assert "count-conflict" in lines[0]


def test_an_undated_figure_a_rule_reads_undated_is_not_named(workspace: Path) -> None:
    # measure-conflict-timeless compares undated distances: a distance with no `when` is read
    corpus(
        workspace,
        "  - {id: measure, label: measures, single_valued: true}\n",
        [("far", "subject: road, predicate: measure, object: town, qualifiers: {count: {value: 10, unit: km}}")],
    )
    assert validate(workspace) == (0, [])


def test_a_term_redeclared_without_what_the_pack_gives_it(workspace: Path) -> None:
    corpus(
        workspace,
        "  - {id: located-in, label: is located in}\n"  # the pack's is single_valued
        "  - {id: enter, label: enters}\n",  # the pack's is under present-in
        [
            ("a", "subject: dead, predicate: located-in, object: town"),
            ("b", "subject: dead, predicate: enter, object: town"),
        ],
    )
    code, warnings = validate(workspace)
    assert (code, len(warnings)) == (1, 2), warnings
    located, enter = warnings  # in the order the corpus declares them
    assert enter.startswith("claims/corpus.yaml:")
    assert "term 'enter' is declared here without broader: [present-in]" in enter
    assert "term 'located-in' is declared here without single_valued: true" in located
    assert "date-conflict" in located and "drop this declaration to use the pack's" in located


def test_a_term_that_keeps_what_the_pack_gives_it_is_quiet(workspace: Path) -> None:
    corpus(
        workspace,
        "  - {id: located-in, label: is located in, single_valued: true}\n"
        "  - {id: present-in, label: is present in}\n"  # its opposite is declared on the other side
        "  - {id: withdraw-from, label: withdraws from, opposite: [present-in]}\n",
        [("a", "subject: dead, predicate: located-in, object: town")],
    )
    assert validate(workspace) == (0, [])


def test_a_name_that_only_looks_negated_is_quiet(workspace: Path) -> None:
    corpus(workspace, "  - {id: note-down, label: notes down}\n", [("a", "subject: dead, predicate: note-down")])
    assert validate(workspace) == (0, [])


def test_a_denial_in_a_predicate_name(workspace: Path) -> None:
    corpus(
        workspace,
        "  - {id: not-enter, label: does not enter}\n  - {id: did-not-leave, label: did not leave}\n",
        [("a", "subject: dead, predicate: not-enter"), ("b", "subject: dead, predicate: did-not-leave")],
    )
    code, (entered, left) = validate(workspace)  # in the order the corpus declares them
    assert code == 1
    assert "term 'did-not-leave' says the denial in its name" in left and "use 'leave' with" in left
    assert "term 'not-enter' says the denial in its name" in entered
    assert "use 'enter' with `polarity: negated`" in entered


def test_a_denied_count_of_zero_is_named_and_an_affirmed_zero_is_quiet(workspace: Path) -> None:
    corpus(
        workspace,
        "  - {id: number, label: numbers, single_valued: true}\n",
        [
            ("left", "subject: dead, predicate: number, polarity: negated, when: 2020-01-02, qualifiers: {count: 0}"),
            ("none", "subject: dead, predicate: number, when: 2020-01-02, qualifiers: {count: 0}"),
            ("not3", "subject: dead, predicate: number, polarity: negated, when: 2020-01-02, qualifiers: {count: 3}"),
        ],
    )
    code, warnings = validate(workspace)
    assert code == 1 and len(warnings) == 1
    assert "claim 'left' denies a count of 0" in warnings[0] and "`count: 0` affirmed" in warnings[0]
