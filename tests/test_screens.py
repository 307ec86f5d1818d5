"""Screens may only drop work that cannot produce a match: for every two-binding screen, a partition it
rules out has no pair of claims the built-in accepts (checked by brute force on generated claims)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.compile.compiled import PredicateCall
from factcheck.compile.pack import load_rules
from factcheck.evaluate.builtins import IMPLEMENTATIONS
from factcheck.evaluate.partitions import ClaimIndex, partitions
from factcheck.evaluate.screens import PAIR_SCREENS, partition_may_match
from factcheck.evaluate.terms import Context
from factcheck.language.terms import FieldRef
from factcheck.model.claim import Claim
from factcheck.model.corpus import Corpus
from factcheck.model.fields import read_field

ROOT = Path(__file__).resolve().parent.parent
V1_PACK = ROOT / "benchmarks" / "pack"  # the generated corpora plant exactly what the v1 pack finds

claims = st.builds(
    lambda i, speaker, polarity, said_on, obj, value, count, means: Claim.model_validate(
        {
            "id": f"c{i}",
            "speaker": speaker,
            "source": "s",
            "said_on": said_on,
            "quote": "q",
            "quote_kind": "direct",
            "subject": "x",
            "predicate": "p",
            "object": obj,
            "value": value,
            "polarity": polarity,
            "qualifiers": {"count": count, "means": means},
        }
    ),
    st.integers(0, 30),
    st.sampled_from(["a", "b"]),
    st.sampled_from(["affirmed", "negated"]),
    st.sampled_from(["2021-01-05", "2021-01-20", "2021-01", "~2021-01-25", "2021"]),
    st.sampled_from([None, "o1", "o2"]),
    st.sampled_from([None, 1, 1.0, True, "1", 2.5]),
    st.sampled_from(
        [
            None,
            0,
            1,
            2,
            7,
            {"value": 7, "approx": "about"},
            {"value": 2, "approx": "at-least"},
            4100,  # round figures and bounds, as reports write them (rounding: as-reported)
            4093,
            {"value": 4000, "approx": "at-least"},
            {"value": 4200, "approx": "about"},
            {"value": 5, "approx": "at-most"},
            {"value": 3, "per": "side"},
            {"value": 1, "unit": "officers"},
            {"value": 1, "unit": "feet"},
            {"value": 1, "unit": "m"},
            {"value": 1, "max": 5},
        ]
    ),
    st.sampled_from([[], ["remote"], ["remote", "drones"]]),
)

FIELDS = ["object", "value", "polarity", "qualifiers.count", "qualifiers.means", "speaker"]
calls = st.one_of(
    st.sampled_from(["different-speaker", "opposite-polarity", "same-speaker", "ordered"]).map(
        lambda name: PredicateCall(name, {"left": "l", "right": "r"})
    ),
    st.just(PredicateCall("before", {"left": FieldRef("l", "said_on"), "right": FieldRef("r", "said_on")})),
    st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3, unique=True).map(
        lambda fields: PredicateCall("differ-in", {"left": "l", "right": "r", "fields": tuple(fields)})
    ),
    st.tuples(st.sampled_from(["equal", "not-equal"]), st.sampled_from(FIELDS), st.sampled_from(FIELDS)).map(
        lambda t: PredicateCall(t[0], {"left": FieldRef("l", t[1]), "right": FieldRef("r", t[2])})
    ),
    st.tuples(
        st.sampled_from(["value", "qualifiers.count"]),
        st.sampled_from([-1, 0, 0.5, 1, 5]),
        st.sampled_from([0, 10]),
        st.sampled_from(["literal", "as-reported"]),
        st.sampled_from(["either", "lower", "higher"]),
    ).map(
        lambda t: PredicateCall(
            "numeric-difference",
            {
                "left": FieldRef("l", t[0]),
                "right": FieldRef("r", "qualifiers.count"),
                "more-than": t[1],
                "more-than-percent": t[2],
                "rounding": (t[3],),
                "left-is": (t[4],),
            },
        )
    ),
)


@settings(max_examples=400, deadline=None)
@given(calls, st.lists(claims, min_size=1, max_size=4), st.lists(claims, min_size=1, max_size=4))
def test_a_screened_out_partition_has_no_matching_pair(
    call: PredicateCall, left: list[Claim], right: list[Claim]
) -> None:
    assert call.builtin in PAIR_SCREENS
    if partition_may_match([call], {"l": left, "r": right}, read_field):
        return
    corpus = Corpus()
    for a in left:
        for b in right:
            if a is b:
                continue
            outcome = IMPLEMENTATIONS[call.builtin](Context(corpus, {"l": a, "r": b}), call.args)
            assert not outcome.holds, f"{call} screened out a partition where {a.id}, {b.id} match"


def test_the_same_number_in_units_that_convert_is_not_screened_out() -> None:
    def figure(claim_id: str, unit: str) -> Claim:
        return Claim.model_validate(
            {"id": claim_id, "speaker": "a", "source": "s", "said_on": "2021-01-05", "quote": "q",
             "quote_kind": "direct", "subject": "x", "predicate": "p",
             "qualifiers": {"count": {"value": 100, "unit": unit}}}
        )  # fmt: skip

    call = PredicateCall(
        "numeric-difference",
        {
            "left": FieldRef("l", "qualifiers.count"),
            "right": FieldRef("r", "qualifiers.count"),
            "more-than": 0,
            "more-than-percent": 0,
            "rounding": ("as-reported",),
            "left-is": ("either",),
        },
    )
    feet, metres = figure("f", "feet"), figure("m", "m")
    assert IMPLEMENTATIONS["numeric-difference"](Context(Corpus(), {"l": feet, "r": metres}), call.args).holds
    assert partition_may_match([call], {"l": [feet], "r": [metres]}, read_field)


def test_consistent_positions_never_reach_the_engine() -> None:
    """A speaker repeating one position (same object, polarity, count) on many dates: position-change
    cannot fire, so no partition is planned; a changed position is."""
    rule = next(r for r in load_rules([V1_PACK]).enabled if r.id == "position-change")

    def claim(i: int, obj: str) -> Claim:
        return Claim.model_validate(
            {
                "id": f"c{i}",
                "speaker": "a",
                "source": "s",
                "said_on": f"2021-01-{i + 1:02d}",
                "quote": "q",
                "quote_kind": "direct",
                "subject": "x",
                "predicate": "p",
                "object": obj,
            }
        )

    steady = [claim(i, "o1") for i in range(20)]
    assert partitions(rule, ClaimIndex(steady, Corpus())) == []
    changed = [*steady, claim(25, "o2")]
    planned = partitions(rule, ClaimIndex(changed, Corpus()))
    assert planned == [('["a", "x", "p"]', list(range(21)))]
