"""What rules say about the declared vocabulary: a field test `predicate: {under: present-in}` matches a
term and every term declared under it, and `join: predicate-family` puts kindred predicates together."""

from __future__ import annotations

PREDICATE_FAMILY = "predicate-family"
UNDER_FIELDS = ("predicate",)  # the fields whose values are vocabulary terms
