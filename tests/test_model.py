"""Dates with precision, gazetteer containment, is_a closure, attribution strength, field tests."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pydantic import ValidationError

from conftest import ROOT
from factcheck.evaluate.builtins import attribution_strength, weakenings
from factcheck.evaluate.field_tests import passes, passes_value
from factcheck.language.field_tests import FieldTest, Operator
from factcheck.load.corpus import load_corpus
from factcheck.model.corpus import Containment
from factcheck.model.dates import FuzzyDate
from factcheck.model.entity import Entity, EntityKind

SEED = load_corpus([ROOT / "claims"])


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "shown"),
    [
        ("2020-12-29", "2020-12-29", "2020-12-29", "2020-12-29"),
        ("2020-12", "2020-12-01", "2020-12-31", "2020-12"),
        ("2020", "2020-01-01", "2020-12-31", "2020"),
        ("~2020-12", "2020-11-24", "2021-01-07", "~2020-12"),
        ("2020-02", "2020-02-01", "2020-02-29", "2020-02"),
        # the slack of an approximate date stops at the ends of the calendar instead of overflowing
        ("~0001-01-01", "0001-01-01", "0001-01-08", "~0001-01-01"),
        ("~9999-12-31", "9999-12-24", "9999-12-31", "~9999-12-31"),
        ("~9999", "9998-12-25", "9999-12-31", "~9999"),
    ],
)
def test_fuzzy_dates_span_their_precision(text: str, earliest: str, latest: str, shown: str) -> None:
    date = FuzzyDate.model_validate(text)
    assert (date.earliest, date.latest) == (dt.date.fromisoformat(earliest), dt.date.fromisoformat(latest))
    assert str(date) == shown


def test_fuzzy_date_keeps_the_words_used() -> None:
    date = FuzzyDate.model_validate({"date": "2020-12", "approximate": True, "as_written": "Earlier in December"})
    assert date.model_dump() == {
        "date": "2020-12",
        "precision": "month",
        "approximate": True,
        "as_written": "Earlier in December",
    }


@pytest.mark.parametrize(
    "bad", ["2020-02-30", "Dec. 29", "2020-13", "20-12-29", "", "2020-12-29T10:00:00", "2020-12T10:00"]
)
def test_impossible_or_vague_dates_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        FuzzyDate.model_validate(bad)


@pytest.mark.parametrize(
    ("place", "region", "answer"),
    [
        ("aghdam", "nagorno-karabakh", Containment.disputed),
        ("aghdam", "azerbaijan", Containment.yes),
        ("azerbaijan", "nagorno-karabakh", Containment.no),
        ("nagorno-karabakh", "azerbaijan", Containment.disputed),
        ("lachin", "nagorno-karabakh", Containment.disputed),
        ("aghdam", "aghdam", Containment.yes),
        ("aghdam", "armenia", Containment.no),
    ],
)
def test_containment_is_tri_state(place: str, region: str, answer: Containment) -> None:
    assert SEED.within(place, region).answer is answer


def test_disputed_containment_carries_the_gazetteer_note() -> None:
    assert SEED.within("aghdam", "nagorno-karabakh").notes == (
        "outside the Soviet-era Nagorno-Karabakh oblast; inside the area held by Armenian forces until Nov 2020",
    )


def test_is_a_closure() -> None:
    assert SEED.is_a("turkish-monitoring-staff", "turkish-military-personnel")
    assert SEED.is_a("turkish-peacekeepers", "turkish-military-personnel")
    assert not SEED.is_a("turkish-monitoring-staff", "turkish-peacekeepers")
    assert not SEED.is_a("russian-peacekeepers", "turkish-military-personnel")


@pytest.mark.parametrize(
    ("claim", "strength"),
    [
        ("akar-staff-stand-by", "strong"),
        ("akar-officers-dispatched", "moderate"),
        ("lavrov-center-operates-remotely", "moderate"),
        ("russia-no-turkish-peacekeepers-in-karabakh", "weak"),
        ("azerbaijan-presses-turkish-role-in-talks", "weak"),
        ("headline-officers-monitor", "outlet"),
    ],
)
def test_attribution_strength(claim: str, strength: str) -> None:
    assert attribution_strength(SEED.claims[claim], SEED) == strength


def test_seed_corpus_is_complete() -> None:
    speakers = {c.speaker for c in SEED.claims.values()}
    assert {"hulusi-akar", "ilham-aliyev", "sergey-lavrov", "russia", "azerbaijan", "duvar-english"} <= speakers
    assert sum(c.speaker == "hulusi-akar" for c in SEED.claims.values()) == 3
    counted = {c.id: c.qualifiers.count for c in SEED.claims.values() if c.qualifiers.count is not None}
    assert {q.value for q in counted.values()} == {36}
    assert all(sum(p.value for p in q.parts) == 36 for q in counted.values())  # 1 general + 35 officers
    assert SEED.claims["akar-staff-stand-by"].said_on.date == "2020-12-29"
    assert {"azerbaijan", "armenia", "russia", "turkey", "nagorno-karabakh", "aghdam", "lachin"} <= set(SEED.entities)


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        (FieldTest("qualifiers.count", Operator("eq"), 36, True), True),
        (FieldTest("qualifiers.count", Operator("eq"), 36.0, True), True),
        (FieldTest("qualifiers.count", Operator("gt"), 35.5, True), True),
        (FieldTest("qualifiers.count", Operator("ne"), 36, True), False),
        (FieldTest("qualifiers.scope", Operator("ne"), "only", True), False),  # missing: every test is false ...
        (FieldTest("qualifiers.scope", Operator("exists"), False, True), True),  # ... except exists: false
        (FieldTest("status", Operator("in"), ["planned", "conditional"], False), True),
        (FieldTest("status", Operator("not-in"), ["conditional"], False), False),
        (FieldTest("topics", Operator("contains"), "turkey-russia-monitoring-center", False), True),
    ],
)
def test_field_test_semantics(test: FieldTest, expected: bool) -> None:
    assert passes(test, SEED.claims["akar-duty-after-center-operational"]) is expected


def test_field_tests_are_type_strict() -> None:
    claim = SEED.claims["akar-duty-after-center-operational"].model_copy(update={"value": True})
    assert passes(FieldTest("value", Operator("eq"), True, False), claim)
    assert not passes(FieldTest("value", Operator("eq"), 1, False), claim)
    assert not passes(FieldTest("value", Operator("eq"), "True", False), claim)


@pytest.mark.parametrize(
    "test",
    [
        FieldTest("predicate", Operator("eq"), "monitor", True),
        FieldTest("predicate", Operator("ne"), "monitor", True),
        FieldTest("status", Operator("in"), ["done", "planned"], True),
        FieldTest("status", Operator("not-in"), ["done"], True),
        FieldTest("qualifiers.place", Operator("exists"), True, True),
        FieldTest("qualifiers.means", Operator("exists"), False, False),
    ],
)
def test_bulk_screening_agrees_with_field_test_semantics(test: FieldTest) -> None:
    """The partitioner's fast checks must mean exactly what `passes_value` means, on odd values too."""
    from factcheck.evaluate.partitions import _fast_check

    check = _fast_check(test)
    assert check is not None
    for value in ["monitor", "done", "", None, [], ["x"], 36, 36.0, True, "planned", "Monitor"]:
        assert (check(value) is True) is passes_value(test, value), value


@pytest.mark.parametrize(
    ("via", "strength"),
    [
        ([], "moderate"),
        (["duvar-english"], "moderate"),  # the page's own outlet is the reporter, not a relay
        (["wire"], "weak"),  # another outlet passed the words on
        (["wire", "duvar-english"], "weak"),
        (["wire", "other-wire"], "weak"),
    ],
)
def test_the_outlet_that_publishes_the_page_is_not_a_relay(via: list[str], strength: str) -> None:
    wires = {w: Entity(id=w, name=w.title(), kind=EntityKind.outlet) for w in ("wire", "other-wire")}
    corpus = dataclasses.replace(SEED, entities={**SEED.entities, **wires})
    claim = SEED.claims["akar-officers-dispatched"]  # a named minister, reported (indirect), on Duvar English's page
    relayed = claim.model_copy(update={"attribution": claim.attribution.model_copy(update={"via": via})})
    assert attribution_strength(relayed, corpus) == strength
    assert ("relayed" in weakenings(relayed, corpus) or "relayed-twice" in weakenings(relayed, corpus)) is (
        any(v != "duvar-english" for v in via)
    )
