"""Screens over many partitions at once (screens.py, groups_may_match: where every binding may take every claim
of its partition) drop only partitions the screens partition by partition (partition_may_match) drop, and for
the screens they compute, exactly those, on generated claims and groups."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.compile.compiled import PredicateCall
from factcheck.evaluate.partitions import ClaimIndex, _screened_groups
from factcheck.evaluate.screens import partition_may_match
from factcheck.model.claim import Claim
from factcheck.model.corpus import Corpus
from factcheck.model.fields import read_field
from test_screens import calls, claims

EXACT = {"different-speaker", "opposite-polarity", "differ-in", "before", "numeric-difference"}


@settings(max_examples=300, deadline=None)
@given(calls, st.lists(st.lists(claims, min_size=2, max_size=5), min_size=1, max_size=6))
def test_groups_are_screened_as_partitions_are(call: PredicateCall, groups: list[list[Claim]]) -> None:
    table: list[Claim] = []
    positions: dict[str, list[int]] = {}
    for g, group in enumerate(groups):
        positions[f"g{g}"] = []
        for claim in group:  # ids made distinct, as a corpus's are
            positions[f"g{g}"].append(len(table))
            table.append(claim.model_copy(update={"id": f"c{len(table)}"}))
    index = ClaimIndex(table, Corpus())
    kept = _screened_groups(positions, [call], index)
    for key, members in positions.items():
        chosen = [table[p] for p in members]
        expected = partition_may_match([call], {"l": chosen, "r": chosen}, read_field)
        if call.builtin in EXACT:
            assert (key in kept) == expected, (key, call)
        else:  # a screen not computed at once keeps every group: the partition loop decides
            assert key in kept, (key, call)
