"""Times of day: a day may carry a time and its clock (UTC offset); they are read, kept by the run cache,
compared by `time-difference` and `during`, and refused with a located message when malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.evaluate.builtins import IMPLEMENTATIONS, Outcome
from factcheck.evaluate.terms import Context
from factcheck.language.terms import FieldRef
from factcheck.model.corpus import Corpus
from factcheck.model.dates import EventTime, FuzzyDate
from test_run_cache import append, claim, copy_corpus, run, same_as_without_cache


@pytest.mark.parametrize(
    ("text", "shown", "minutes_utc"),
    [
        ("2014-04-16T08:58+09:00", "2014-04-16T08:58+09:00", True),
        ("2014-04-16 08:58Z", "2014-04-16T08:58+00:00", True),
        ("~2014-04-16T09:00", "~2014-04-16T09:00", False),
        ("2014-04-16", "2014-04-16", None),
    ],
)
def test_a_day_may_carry_a_time_and_its_clock(text: str, shown: str, minutes_utc: bool | None) -> None:
    date = FuzzyDate.model_validate(text)
    assert str(date) == shown
    assert FuzzyDate.model_validate(date.model_dump()) == date  # what the run cache and JSON output write
    clock = date.minutes()
    assert (clock[1] if clock else None) == minutes_utc


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("~2016-08-24", "2016-08-17", "2016-08-31"),  # about a day: a week either side
        ("~2016-08-24T19:00", "2016-08-24", "2016-08-24"),  # about a time: the day itself
        ("~2016-08-24T00:00", "2016-08-23", "2016-08-24"),  # about midnight: half an hour before crosses it
        ("~2016-08-24T00:10", "2016-08-24", "2016-08-24"),  # about ten past: five minutes either side
        ("~2016-08-24T23:58", "2016-08-24", "2016-08-25"),  # to the minute: two minutes either side
    ],
)
def test_an_approximate_time_strays_by_the_unit_it_is_written_to_not_a_week(
    text: str, earliest: str, latest: str
) -> None:
    date = FuzzyDate.model_validate(text)
    assert (str(date.earliest), str(date.latest)) == (earliest, latest)


def test_one_moment_on_two_clocks_is_the_same_minute() -> None:
    moscow, gmt = FuzzyDate.model_validate("2000-08-12T11:28+04:00"), FuzzyDate.model_validate("2000-08-12T07:28Z")
    assert moscow.minutes() == gmt.minutes()
    assert moscow != gmt  # as written they differ; only the built-in compares them as moments
    assert FuzzyDate.model_validate("2014-04-16T08:58") != FuzzyDate.model_validate("2014-04-16T08:55")


@pytest.mark.parametrize(
    ("left", "right", "holds", "value"),
    [
        ("2012-01-13T21:45", "2012-01-13T21:40", True, "5 minutes"),
        ("~2012-01-13T21:30", "2012-01-13T21:45", False, "at least 0 minutes"),  # about 21:30 may be 21:45
        ("~2012-01-13T21:19", "2012-01-13T21:45", True, "at least 24 minutes"),  # about 21:19: 21:17 to 21:21
        ("~2012-01-13T21:40", "2012-01-13T21:45", False, "at least 0 minutes"),  # about 21:40: 21:35 to 21:45
        ("~2012-01-13T21:00", "2012-01-13T21:45", True, "at least 15 minutes"),
        # a window (between 21:20 and 21:40) and a point, or two windows, are apart by what separates them
        ({"not_before": "2012-01-13T21:20", "by": "2012-01-13T21:40"}, "2012-01-13T21:45", True, "at least 5 minutes"),
        ({"not_before": "2012-01-13T21:20", "by": "2012-01-13T21:50"}, "2012-01-13T21:45", False, "at least 0 minutes"),
        ({"from": "2012-01-13T08:00", "until": "~2012-01-13T09:00"}, "2012-01-13T09:45", True, "at least 15 minutes"),
        # an end without a time of day is open: 'after 21:40' may be any later time, not an earlier one
        ({"not_before": "2012-01-13T21:40", "by": "2012-01-14"}, "2012-01-13T23:00", False, "at least 0 minutes"),
        ({"not_before": "2012-01-13T21:40"}, "2012-01-13T21:19", True, "at least 21 minutes"),
        # two clocks: converted when both carry one
        (
            {"not_before": "2012-01-13T20:20Z", "by": "2012-01-13T20:40Z"},
            "2012-01-13T21:45+01:00",
            True,
            "at least 5 minutes",
        ),
        # a local time against one with its place's offset: both as written (00:21 Malaysian time, 00:41 local)
        ("2014-03-08T00:21+08:00", "2014-03-08T00:41", True, "20 minutes"),
        ("2014-03-08T00:40+08:00", "2014-03-08T00:41", False, "1 minutes"),
        (
            {"not_before": "2012-01-13T21:20+01:00", "by": "2012-01-13T21:40+01:00"},
            "2012-01-13T21:45",
            True,
            "at least 5 minutes",
        ),
        # never against GMT (a wire's clock, not the place's), nor a window on two clocks
        ("2000-08-12T07:28Z", "2000-08-12T11:28", False, "n/a"),
        ({"not_before": "2012-01-13T21:20", "by": "2012-01-13T21:40Z"}, "2012-01-13T23:45", False, "n/a"),
        ({"by": "2012-01-14"}, "2012-01-13T23:45", False, "n/a"),
    ],
)
def test_time_difference_reads_points_windows_and_their_slack(
    left: object, right: str, holds: bool, value: str
) -> None:
    for first, second in ((left, right), (right, left)):  # the same either way round
        outcome = _between_whens("time-difference", first, second, {"more-than": 1})
        assert (outcome.holds, outcome.value) == (holds, value)


def _between_whens(builtin: str, left: object, right: object, args: dict[str, object]) -> Outcome:
    """A built-in's outcome over two claims that carry only `when`."""

    class _Claim:  # only `when` is read
        def __init__(self, when: object) -> None:
            self.when = EventTime.model_validate(when)

    context = Context(Corpus(), {"a": _Claim(left), "b": _Claim(right)})  # type: ignore[dict-item]
    return IMPLEMENTATIONS[builtin](context, {"left": FieldRef("a", "when"), "right": FieldRef("b", "when"), **args})


@pytest.mark.parametrize(
    ("left", "right", "holds"),
    [
        ("2021-07-04", "~2021-07-04", True),  # the same day, approximate or not
        ("2021-07-04", "2021-07", True),  # a day of the month named
        ("2021-08-01", "2021-07", False),
        # inside a window with both ends, to the minute where they carry times of day (22:00 to 03:00)
        ("~2021-07-04T22:30", {"not_before": "2021-07-04T22:00", "by": "2021-07-05T03:00"}, True),
        ("2021-07-04T20:15", {"not_before": "2021-07-04T22:00", "by": "2021-07-05T03:00"}, False),
        ("~2021-07-04T22:00", {"not_before": "2021-07-04T22:00", "by": "2021-07-05T03:00"}, False),  # may be 21:30
        ("2021-07-04", {"not_before": "2021-07-04T22:00", "by": "2021-07-05T03:00"}, False),  # a day: maybe at noon
        ("2021-07-06", {"from": "2021-07-01", "until": "2021-07-10"}, True),
        ("2021-07-06T10:00+02:00", {"from": "2021-07-05", "until": "2021-07-10"}, True),
        # an open deadline or period, or a window on the left, never holds
        ("2021-07-06", {"by": "2021-07-10"}, False),
        ("2021-07-06", {"from": "2021-07-01"}, False),
        ({"not_before": "2021-07-04", "by": "2021-07-05"}, {"from": "2021-07-01", "until": "2021-07-10"}, False),
        # a time on one clock against the day it falls on; two clocks compare in UTC
        ("2022-11-06T00:00+09:00", "2022-11-06", True),
        ("2021-07-04T22:30+02:00", {"not_before": "2021-07-04T20:00Z", "by": "2021-07-04T21:00Z"}, True),
        ("2021-07-04T23:30+02:00", {"not_before": "2021-07-04T20:00Z", "by": "2021-07-04T21:00Z"}, False),
        # a point with a UTC offset against a local window: only certain by whole days
        ("2021-07-04T23:00+00:00", {"not_before": "2021-07-04T22:00", "by": "2021-07-05T03:00"}, False),
        ("2021-07-06T23:00+00:00", {"from": "2021-07-01", "until": "2021-07-10T10:00"}, True),
    ],
)
def test_during_holds_for_a_point_certainly_inside_a_day_month_or_window_with_both_ends(
    left: object, right: object, holds: bool
) -> None:
    assert _between_whens("during", left, right, {}).holds is holds


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2014-04-16T24:00", "'24:00' is not a time of day"),
        ("2014-04T08:00", "a time goes with a day"),
        ("2014-04-16T08:00+15:00", r"'\+15:00' is not a UTC offset"),
        ({"date": "2014-04-16", "zone": "+09:00"}, "a UTC offset without a time of day"),
        ({"date": "2014-04-16T08:00", "time": "09:00"}, "not both"),
    ],
)
def test_a_malformed_time_is_refused_with_how_to_write_it(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EventTime.model_validate(value)


def test_the_run_cache_keeps_times_and_a_rerun_matches_a_full_run(tmp_path: Path, generated: Path) -> None:
    claims = tmp_path / "claims"
    claims.mkdir()
    copy_corpus(generated, claims)
    append(claims / "claims.jsonl", claim("early", said_on="2021-01-05T08:55", when="2021-01-05T08:00+04:00"))
    append(claims / "claims.jsonl", claim("late", said_on="2021-01-05T08:58"))  # the same day: another time
    cache = tmp_path / "cache"
    first = run(claims, cache)
    assert str(first.corpus.claims["late"].said_on) == "2021-01-05T08:58"
    append(claims / "claims.jsonl", claim("later", said_on="2021-01-05T09:30Z"))
    again = run(claims, cache)
    assert again.reuse == "appended"
    kept = again.corpus.claims
    assert [str(kept[i].said_on) for i in ("early", "late", "later")] == [
        "2021-01-05T08:55",
        "2021-01-05T08:58",
        "2021-01-05T09:30+00:00",
    ]
    assert str(kept["early"].when) == "2021-01-05T08:00+04:00"
    same_as_without_cache(again, claims)
