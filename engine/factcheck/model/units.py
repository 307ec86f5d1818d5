"""Units of measure a count may give, and how one converts to another of the same dimension: reports
give a depth in feet and in metres, a time in minutes and in hours, oil in barrels and in gallons. Counts
of people or bodies have no conversion: a unit not listed here compares only with itself. A few count
words are one head-count under several names ("soldiers", "servicemen", "troops", "persons", "people"):
the same group counted as "100 people" by one report and "about 70 soldiers" by another is one count."""

from __future__ import annotations

import re

# unit word (singular, lower case) -> (dimension, size in that dimension's base unit)
_SIZES: dict[str, tuple[str, float]] = {
    "metre": ("length", 1.0),
    "kilometre": ("length", 1000.0),
    "centimetre": ("length", 0.01),
    "foot": ("length", 0.3048),
    "inch": ("length", 0.0254),
    "yard": ("length", 0.9144),
    "mile": ("length", 1609.344),
    "nautical mile": ("length", 1852.0),
    "second": ("time", 1.0),
    "minute": ("time", 60.0),
    "hour": ("time", 3600.0),
    "day": ("time", 86400.0),
    "week": ("time", 604800.0),
    "square metre": ("area", 1.0),
    "square kilometre": ("area", 1e6),
    "square foot": ("area", 0.09290304),
    "square mile": ("area", 2589988.110336),
    "hectare": ("area", 1e4),
    "litre": ("volume", 0.001),
    "cubic metre": ("volume", 1.0),
    "gallon": ("volume", 0.003785411784),  # US gallon, as US reports and agencies give volumes
    "barrel": ("volume", 0.158987294928),  # oil barrel, 42 US gallons
    "kilogram": ("mass", 1.0),
    "tonne": ("mass", 1000.0),
    "pound": ("mass", 0.45359237),
    "acre": ("area", 4046.8564224),
    "square nautical mile": ("area", 3429904.0),
    # head-count words: one unit under several names; a contingent of 100 "people" is 100 soldiers
    "troop": ("people", 1.0),
    "person": ("people", 1.0),
}
_SPELLINGS = {
    "m": "metre",
    "meter": "metre",
    "km": "kilometre",
    "kilometer": "kilometre",
    "cm": "centimetre",
    "centimeter": "centimetre",
    "ft": "foot",
    "feet": "foot",
    "in": "inch",
    "inches": "inch",
    "yd": "yard",
    "mi": "mile",
    "nm": "nautical mile",
    "s": "second",
    "sec": "second",
    "min": "minute",
    "h": "hour",
    "hr": "hour",
    "m2": "square metre",
    "sq m": "square metre",
    "square meter": "square metre",
    "km2": "square kilometre",
    "sq km": "square kilometre",
    "square kilometer": "square kilometre",
    "sq ft": "square foot",
    "square feet": "square foot",
    "sq mi": "square mile",
    "mi2": "square mile",
    "mi²": "square mile",
    "square km": "square kilometre",
    "km²": "square kilometre",
    "sq. km": "square kilometre",
    "m²": "square metre",
    "sq nm": "square nautical mile",
    "square nm": "square nautical mile",
    "nm2": "square nautical mile",
    "nm²": "square nautical mile",
    "soldier": "troop",
    "serviceman": "troop",
    "servicemen": "troop",
    "service member": "troop",
    "military personnel": "troop",
    "people": "person",
    "ha": "hectare",
    "l": "litre",
    "liter": "litre",
    "m3": "cubic metre",
    "cubic meter": "cubic metre",
    "gal": "gallon",
    "bbl": "barrel",
    "kg": "kilogram",
    "t": "tonne",
    "ton": "tonne",
    "metric ton": "tonne",
    "lb": "pound",
}


def _known(unit: str) -> tuple[str, float] | None:
    word = re.sub(r"\s+", " ", unit.strip().lower().rstrip("."))
    for form in (word, word[:-1] if word.endswith("s") else word, word[:-2] if word.endswith("es") else word):
        name = _SPELLINGS.get(form, form)
        if name in _SIZES:
            return _SIZES[name]
    return None


def conversion(unit: str, into: str) -> float | None:
    """The factor that turns a figure in `unit` into one in `into` (354 feet -> 107.9 metres: 0.3048), or
    None when they measure different things or either is not a known unit of measure."""
    source, target = _known(unit), _known(into)
    if source is None or target is None or source[0] != target[0]:
        return None
    return source[1] / target[1]
