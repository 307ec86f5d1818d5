"""An attributed statement and its structured reading (Wikidata-like: value + qualifiers + reference)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from factcheck.model.dates import EventTime, FuzzyDate
from factcheck.model.source import ID_PATTERN

TERM_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class QuoteKind(StrEnum):
    direct = "direct"
    indirect = "indirect"
    paraphrase = "paraphrase"
    reported_by_outlet = "reported-by-outlet"


class Polarity(StrEnum):
    affirmed = "affirmed"
    negated = "negated"


class Status(StrEnum):
    done = "done"
    ongoing = "ongoing"
    planned = "planned"
    conditional = "conditional"


class Approx(StrEnum):
    exact = "exact"
    about = "about"  # "around 2,000": within ABOUT_TOLERANCE of the figure
    at_least = "at-least"  # "more than 70,000", "at least"
    at_most = "at-most"  # "up to 60"


def readable_number(number: float) -> str:
    """A number as a reader reads it: thousands separated ("130,000"), a fraction to one decimal."""
    if isinstance(number, int) or float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.1f}"


def show_number(number: float) -> str:
    """A number as messages write it: integers in full (formatting them as floats can overflow), others
    in their shortest form."""
    return str(number) if isinstance(number, int) else f"{number:g}"


ABOUT_TOLERANCE = 0.05  # "around 2,000" covers 1,900 to 2,100


def _rounding_step(value: float, significant: int = 2) -> float:
    """The place a whole figure is rounded to, read from its trailing zeros: 4,100 -> 100, 166,320 -> 10,
    36 -> 0 (exact). A figure under 100 is read as exact ("40 officers" is a count), and a figure keeps at
    least `significant` digits ("10,000" covers 9,500 to 10,500, not 5,000 to 15,000)."""
    if not isinstance(value, int) or value < 100:
        return 0
    step = 1
    while value % (step * 10) == 0 and step * 10**significant <= value:
        step *= 10
    return 0 if step == 1 else step


MAX_COUNT = 10**15  # larger is not a count of anything reported, and would overflow float arithmetic


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: int = Field(ge=0, le=MAX_COUNT)
    unit: str | None = Field(default=None, description="what this part counts, e.g. 'general'")


class Quantity(BaseModel):
    """A count as reports give it: `36`, or with its approximation, a range's upper end ("45,000 to
    50,000"), what is counted, per what, and the parts it is made of (1 general + 38 officers = 39)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: int | float = Field(ge=0, le=MAX_COUNT)
    approx: Approx = Approx.exact
    max: int | float | None = Field(
        default=None, ge=0, le=MAX_COUNT, description="a range's upper end: 45,000 to 50,000 is value 45000, max 50000"
    )
    unit: str | None = Field(default=None, description="what is counted, e.g. 'troops', 'officers'")
    per: str | None = Field(default=None, description="per what, e.g. 'side' for '60 per side'")
    parts: list[Part] = Field(default_factory=list, description="a composition that must add up to `value`")

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return {"value": value}
        if not isinstance(value, dict | Quantity):
            raise ValueError(
                f"a count is a number, or a mapping like {{value: 2000, approx: about, unit: troops}}; got {value!r}"
            )
        return value

    @model_validator(mode="after")
    def _range(self) -> Quantity:
        if self.max is None:
            return self
        if self.max < self.value:
            raise ValueError(
                f"a range's upper end ({show_number(self.max)}) is below its lower end ({show_number(self.value)}); "
                "put the smaller figure in `value`"
            )
        if self.approx in (Approx.at_least, Approx.at_most):
            raise ValueError(
                f"a range ({show_number(self.value)} to {show_number(self.max)}) has both its ends; drop "
                f"`approx: {self.approx.value}` (use `about` for 'some 45,000 to 50,000')"
            )
        return self

    @model_validator(mode="after")
    def _adds_up(self) -> Quantity:
        total = sum(p.value for p in self.parts)
        if self.parts and total != self.value:
            written = " + ".join(f"{p.value}{' ' + p.unit if p.unit else ''}" for p in self.parts)
            raise ValueError(
                f"the parts add up to {total} ({written}), not {show_number(self.value)}; correct one of them"
            )
        return self

    def bounds(self) -> tuple[float, float]:
        """The interval the figure stands for."""
        if self.max is not None:
            low, high = self.value, self.max
            if self.approx is Approx.about:
                return low * (1 - ABOUT_TOLERANCE), high * (1 + ABOUT_TOLERANCE)
            return low, high
        if self.approx is Approx.about:
            return self.value * (1 - ABOUT_TOLERANCE), self.value * (1 + ABOUT_TOLERANCE)
        if self.approx is Approx.at_least:
            return self.value, float("inf")
        if self.approx is Approx.at_most:
            return 0, self.value
        return self.value, self.value

    def reported_bounds(self) -> tuple[float, float]:
        """The interval the figure stands for as reporting writes figures: a round figure is rounded
        ("4,100" covers 4,050 to 4,150), "about" covers what rounds to the figure or ABOUT_TOLERANCE, and
        "more than"/"up to" name a figure near the count, not any figure beyond it ("more than 115,000" is
        not 130,000): the open side stops at the figure's next rounding step ("more than 100,000" may be
        115,000) or ABOUT_TOLERANCE away, whichever is wider."""
        if self.max is not None:  # a range: each end as it is rounded ("45,000 to 50,000": 44,500 to 50,500)
            low = Quantity.model_construct(value=self.value, approx=self.approx, max=None)
            high = Quantity.model_construct(value=self.max, approx=self.approx, max=None)
            return low.reported_bounds()[0], high.reported_bounds()[1]
        step = _rounding_step(self.value)
        if self.approx is Approx.about:  # "about 130,000": what rounds to it, or +-5%, whichever is wider
            slack = max(step / 2, self.value * ABOUT_TOLERANCE)
            return self.value - slack, self.value + slack
        slack = max(_rounding_step(self.value, significant=1), self.value * ABOUT_TOLERANCE)
        if self.approx is Approx.at_least:
            return self.value, self.value + slack
        if self.approx is Approx.at_most:
            return max(0, self.value - slack), self.value
        return self.value - step / 2, self.value + step / 2

    def in_words(self) -> str:
        """As a message says it to a reader: "about 130,000 people", "more than 115,000", "60 per side"."""
        words = {Approx.about: "about ", Approx.at_least: "more than ", Approx.at_most: "up to "}
        text = f"{words.get(self.approx, '')}{readable_number(self.value)}"
        text += f" to {readable_number(self.max)}" if self.max is not None else ""
        text += f" {self.unit}" if self.unit else ""
        return text + (f" per {self.per}" if self.per else "")

    def __str__(self) -> str:
        words = {Approx.about: "about ", Approx.at_least: "at least ", Approx.at_most: "up to "}
        text = f"{words.get(self.approx, '')}{show_number(self.value)}"
        text += f" to {show_number(self.max)}" if self.max is not None else ""
        text += f" {self.unit}" if self.unit else ""
        text += f" per {self.per}" if self.per else ""
        if self.parts:
            text += " (" + " + ".join(f"{p.value}{' ' + p.unit if p.unit else ''}" for p in self.parts) + ")"
        return text


class Qualifiers(BaseModel):
    """What narrows a claim: how many, where, by what means, under which condition, how often."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    count: Quantity | None = None
    place: str | None = Field(default=None, pattern=ID_PATTERN, description="entity id")
    means: list[str] = Field(default_factory=list, description="e.g. [remote, drones]")
    condition: str | None = None
    purpose: str | None = None
    frequency: str | None = Field(default=None, description="e.g. 'repeatedly'")
    scope: str | None = Field(default=None, description="e.g. 'only' for a limitation")
    modality: str | None = Field(default=None, description="e.g. 'urged', 'expected'")
    parties: list[str] = Field(default_factory=list, description="entity ids")


NO_QUALIFIERS = Qualifiers()


class Translation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, serialize_by_alias=True)

    from_: str = Field(alias="from", min_length=1, description="the language the words were said in")
    by: str | None = Field(
        default=None,
        pattern=ID_PATTERN,
        description="entity id of who translated them; an outlet's translation weakens the attribution, none named "
        "is the reader's own",
    )


class Attribution(BaseModel):
    """How the words reached the report: relayed by others, translated, from an unnamed official, a partial
    quote, or a restatement of words the speaker is quoted as saying elsewhere."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    via: list[str] = Field(
        default_factory=list, description="entity ids of whom the report cites for the words, nearest first"
    )
    translated: Translation | None = None
    unnamed: bool = Field(default=False, description="an unnamed official or source speaking for `speaker`")
    partial: bool = Field(default=False, description="a fragment in quotation marks, not the whole sentence")
    paraphrases: str | None = Field(default=None, pattern=ID_PATTERN, description="claim id of the words restated")


DIRECT_ATTRIBUTION = Attribution()


class Claim(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    speaker: str = Field(pattern=ID_PATTERN, description="entity id of who said it")
    source: str = Field(pattern=ID_PATTERN, description="source id of where it was reported")
    said_on: FuzzyDate
    when: EventTime | None = Field(default=None, description="when what it reports happens or holds")
    quote: str = Field(min_length=1, description="verbatim text from the source")
    quote_kind: QuoteKind
    attribution: Attribution = Field(default_factory=lambda: DIRECT_ATTRIBUTION)
    subject: str = Field(pattern=ID_PATTERN, description="entity id")
    predicate: str = Field(pattern=TERM_PATTERN)
    object: str | None = Field(default=None, pattern=ID_PATTERN, description="entity id")
    value: str | int | float | bool | None = Field(default=None, description="a literal object")
    polarity: Polarity = Polarity.affirmed
    status: Status = Status.done
    qualifiers: Qualifiers = Field(default_factory=lambda: NO_QUALIFIERS)  # frozen, so one instance is shared
    topics: list[str] = Field(default_factory=list)
    note: str | None = None
