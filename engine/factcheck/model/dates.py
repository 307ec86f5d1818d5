"""Dates as reports give them: a day, a month, a year, possibly approximate ("earlier in December")."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from enum import StrEnum
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler, model_serializer, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema as cs

_FORM = re.compile(r"(~)?(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})?)?)?)?\Z")
_TIME = re.compile(r"(\d{2}):(\d{2})\Z")
_ZONE = re.compile(r"Z|[+-](\d{2}):(\d{2})\Z")
# An approximate date may fall this far outside the unit it names.
APPROXIMATE_SLACK = dt.timedelta(days=7)
# An approximate time of day ("about 9 am") may be this many minutes either side of the one it names.
# an approximate time of day rounded to so many minutes (the unit), and how far it may stray
APPROXIMATE_SLACKS = ((60, 30), (30, 15), (15, 7), (10, 5), (5, 2))
FORMS_HINT = "write YYYY-MM-DD, YYYY-MM or YYYY, with a leading ~ when approximate (e.g. ~2020-12)"
# said when the text looks like it holds a time of day
TIME_HINT = "a time goes with a day, as YYYY-MM-DDTHH:MM with its UTC offset if known (2014-04-16T08:58+09:00)"


class Precision(StrEnum):
    day = "day"
    month = "month"
    year = "year"


class FuzzyDate(BaseModel):
    """`2020-12-29`, `2020-12`, `2020`, or `~2020-12`; or a mapping that also keeps the words used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: str
    precision: Precision = Precision.day  # derived from `date`; may be stated to double-check
    approximate: bool = False
    as_written: str | None = None
    # the time of day (HH:MM, 24-hour clock) and its UTC offset (+09:00), when the report gives them: one
    # event put at 08:55 and at 08:58 is a question; without `zone` a time is the place's local time
    time: str | None = None
    zone: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if isinstance(value, str):
            return dict(_fields_from_text(value))  # corpora repeat a few hundred dates: parse each once
        return cls._parse_fields(value)

    @classmethod
    def _parse_fields(cls, value: Any) -> Any:
        if isinstance(value, dt.date):
            value = value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # a bare year, 2020
        if isinstance(value, str):
            value = {"date": value}
        if not isinstance(value, dict):
            raise ValueError(f"a date must be text; {FORMS_HINT}")
        text = value.get("date")
        if not isinstance(text, str):
            raise ValueError(f"missing or non-text 'date'; {FORMS_HINT}")
        match = _FORM.match(text.strip())
        if not match:
            hint = f"{FORMS_HINT}; {TIME_HINT}" if ":" in text else FORMS_HINT
            raise ValueError(f"'{text}' is not a date; {hint}")
        tilde, year, month, day, hour, minute, zone = match.groups()
        try:
            dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            raise ValueError(f"'{text}' is not a real calendar date; {FORMS_HINT}") from None
        precision = Precision.day if day else Precision.month if month else Precision.year
        stated = value.get("precision")
        if stated is not None and stated != precision.value:
            raise ValueError(f"'{text}' has {precision.value} precision, not {stated}")
        clock = {"time": value.get("time"), "zone": value.get("zone")}
        if hour is not None:
            if clock["time"] is not None or clock["zone"] is not None:
                raise ValueError(f"'{text}' gives its time in 'date'; give it there or in 'time', not both")
            clock = {"time": f"{hour}:{minute}", "zone": zone}
        clock = _checked_clock(text, day is not None, clock["time"], clock["zone"])
        return {
            **value,
            **clock,
            "date": f"{year}-{month}-{day}" if day else f"{year}-{month}" if month else year,
            "precision": precision,
            "approximate": bool(tilde) or bool(value.get("approximate", False)),
        }

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: cs.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """Editors must accept the short text form too, as the loader does."""
        return _or_a_date(handler(schema))

    @property
    def earliest(self) -> dt.date:
        start = dt.date.fromisoformat(self._padded(first=True))
        if not self.approximate:
            return start
        # the slack stops at the calendar's first day: ~0001-01-01 would otherwise overflow
        return dt.date.fromordinal(max(dt.date.min.toordinal(), start.toordinal() - self._slack_days(first=True)))

    @property
    def latest(self) -> dt.date:
        end = dt.date.fromisoformat(self._padded(first=False))
        if not self.approximate:
            return end
        # and at its last: ~9999-12-31 would otherwise overflow
        return dt.date.fromordinal(min(dt.date.max.toordinal(), end.toordinal() + self._slack_days(first=False)))

    def _slack_days(self, first: bool) -> int:
        """How many days an approximate date may stray: a week, but "about 19:00" is about the time, not the
        day: only its minutes either side (`slack_minutes`), which cross midnight near its ends."""
        if self.time is None:
            return APPROXIMATE_SLACK.days
        hour, minute = map(int, self.time.split(":"))
        at, slack = hour * 60 + minute, self.slack_minutes
        return int(at - slack < 0) if first else int(at + slack >= 24 * 60)

    @property
    def slack_minutes(self) -> int:
        """How far an approximate time of day may stray: about half the unit it is written to, as a round
        figure covers what it rounds ("about 19:00" 30 minutes either side, "about 11:30" 15, "about 11:45" 7,
        "about 12:40" 5, "about 10:05" or "about 10:07" 2); 0 for an exact time or none."""
        if not self.approximate or self.time is None:
            return 0
        minute = int(self.time.split(":")[1])
        return next((slack for unit, slack in APPROXIMATE_SLACKS if minute % unit == 0), 2)

    def _padded(self, first: bool) -> str:
        parts = self.date.split("-")
        year = int(parts[0])
        if self.precision is Precision.year:
            return f"{year:04d}-01-01" if first else f"{year:04d}-12-31"
        month = int(parts[1])
        if self.precision is Precision.month:
            last = calendar.monthrange(year, month)[1]
            return f"{year:04d}-{month:02d}-{1 if first else last:02d}"
        return self.date

    def __str__(self) -> str:
        clock = f"T{self.time}{self.zone or ''}" if self.time else ""
        return ("~" if self.approximate else "") + self.date + clock

    def __eq__(self, other: object) -> bool:
        """The same date, however it was worded: "Thursday" and "tomorrow (Thursday)" name one day."""
        if not isinstance(other, FuzzyDate):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[Any, ...]:
        return self.date, self.precision, self.approximate, self.time, self.zone

    def minutes(self, as_written: bool = False) -> tuple[int, bool] | None:
        """The moment as minutes since 0001-01-01 00:00, and whether that is UTC (the time has a zone) or the
        place's local time; `as_written` reads the clock as written, ignoring its zone. None without a time
        of day."""
        if self.time is None:
            return None
        hour, minute = map(int, self.time.split(":"))
        at = dt.date.fromisoformat(self.date).toordinal() * 1440 + hour * 60 + minute
        if self.zone is None or as_written:
            return at, False
        sign, zone_hour, zone_minute = self.zone[0], int(self.zone[1:3]), int(self.zone[4:6])
        offset = zone_hour * 60 + zone_minute
        return at - offset if sign == "+" else at + offset, True

    @model_serializer
    def _serialize(self) -> dict[str, Any]:
        out: dict[str, Any] = {"date": self.date, "precision": self.precision.value}
        if self.approximate:
            out["approximate"] = True
        if self.as_written:
            out["as_written"] = self.as_written
        if self.time:
            out["time"] = self.time
        if self.zone:
            out["zone"] = self.zone
        return out


def _checked_clock(text: str, has_day: bool, time: Any, zone: Any) -> dict[str, str | None]:
    """A time of day (HH:MM) and its UTC offset, checked; a zone written Z is +00:00."""
    if time is None:
        if zone is not None:
            raise ValueError(f"'{text}' gives a UTC offset without a time of day; {TIME_HINT}")
        return {"time": None, "zone": None}
    if not has_day:
        raise ValueError(f"'{text}' gives a time of day without a day; {TIME_HINT}")
    clock = _TIME.match(time) if isinstance(time, str) else None
    if clock is None or int(clock.group(1)) > 23 or int(clock.group(2)) > 59:
        raise ValueError(f"{time!r} is not a time of day; write HH:MM on a 24-hour clock, e.g. 08:58")
    if zone is not None:
        offset = _ZONE.match(zone) if isinstance(zone, str) else None
        if offset is None or (zone != "Z" and (int(offset.group(1)) > 14 or int(offset.group(2)) > 59)):
            raise ValueError(f"{zone!r} is not a UTC offset; write Z, or +HH:MM / -HH:MM, e.g. +09:00")
        zone = "+00:00" if zone == "Z" else zone
    return {"time": time, "zone": zone}


def _or_a_date(mapping: JsonSchemaValue) -> JsonSchemaValue:
    """A schema that also accepts a date in its short text form, or a bare year."""
    return {
        "anyOf": [
            {
                "type": "string",
                "pattern": r"^~?\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?)?)?)?$",
                "description": FORMS_HINT,
            },
            {"type": "integer", "description": "a year"},
            mapping,
        ]
    }


@lru_cache(maxsize=4096)
def _fields_from_text(text: str) -> tuple[tuple[str, Any], ...]:
    return tuple(FuzzyDate._parse_fields({"date": text}).items())


class EventTime(BaseModel):
    """When what a claim reports happens or holds, apart from when it was said (Wikidata's point in time,
    start time / end time): a point (`at`, or just a date), a period (`from` and/or `until`), or a bound
    (`by`: no later than; `not_before`: no earlier than; both: a window). Each end keeps its precision."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    at: FuzzyDate | None = None
    from_: FuzzyDate | None = Field(default=None, alias="from")
    until: FuzzyDate | None = None
    by: FuzzyDate | None = None
    not_before: FuzzyDate | None = None

    @model_validator(mode="before")
    @classmethod
    def _point(cls, value: Any) -> Any:
        if isinstance(value, str | int | dt.date) and not isinstance(value, bool):
            return {"at": value}  # a plain date: a point in time
        if isinstance(value, dict) and "date" in value:
            return {"at": value}  # a date in its mapping form
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: cs.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """A plain date is a point in time, as the loader accepts."""
        return _or_a_date(handler(schema))

    @model_validator(mode="after")
    def _one_form(self) -> EventTime:
        point = self.at is not None
        period = self.from_ is not None or self.until is not None
        bound = self.by is not None or self.not_before is not None
        if point + period + bound != 1:
            raise ValueError(
                "give a point (a date, or 'at'), a period ('from' and/or 'until') or a bound ('by' and/or "
                "'not_before'), one of the three"
            )
        if self.earliest is not None and self.latest is not None and self.earliest > self.latest:
            raise ValueError(f"it ends ({self.latest}) before it starts ({self.earliest})")
        return self

    @property
    def earliest(self) -> dt.date | None:
        """The earliest day it may fall on (for a period: may start on); None when unbounded."""
        first = self.at or self.from_ or self.not_before
        return first.earliest if first is not None else None

    @property
    def latest(self) -> dt.date | None:
        """The latest day it may fall on (for a period: may end on); None when unbounded."""
        last = self.at or self.until or self.by
        return last.latest if last is not None else None

    def __str__(self) -> str:
        if self.at is not None:
            return str(self.at)
        if self.from_ is not None or self.until is not None:
            return f"{self.from_ or '…'} to {self.until or '…'}"
        parts = [f"not before {self.not_before}" if self.not_before else "", f"by {self.by}" if self.by else ""]
        return ", ".join(p for p in parts if p)

    @model_serializer
    def _serialize(self) -> Any:
        if self.at is not None:
            return self.at._serialize()  # a point is written as its date
        out: dict[str, Any] = {}
        for key, value in (
            ("from", self.from_),
            ("until", self.until),
            ("by", self.by),
            ("not_before", self.not_before),
        ):
            if value is not None:
                out[key] = value._serialize()
        return out
