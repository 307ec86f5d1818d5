"""What a built-in's argument may name: a bound claim's field (`staff.qualifiers.place`), or a constant."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldRef:
    binding: str
    field: str

    def __str__(self) -> str:
        return f"{self.binding}.{self.field}"
