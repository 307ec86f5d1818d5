"""The vocabulary as `factcheck vocab` lists it: every declared term with how many claims use it, and
the predicates claims use without declaring them."""

from __future__ import annotations

from collections import Counter

from tabulate import tabulate

from factcheck.model.corpus import Corpus
from factcheck.model.vocabulary import TermKind
from factcheck.report.safe_text import for_terminal


def render_vocabulary(corpus: Corpus) -> str:
    uses = Counter(corpus.claims.columns["predicate"])
    rows = []
    for term in sorted(corpus.vocabulary.values(), key=lambda t: (t.kind.value, t.id)):
        flags = [f for f, on in (("single-valued", term.single_valued), ("symmetric", term.symmetric)) if on]
        if term.inverse:
            flags.append(f"inverse: {term.inverse}")
        if term.opposite:
            flags.append(f"opposite: {', '.join(term.opposite)}")
        family = corpus.lexicon.family(term.id) if term.kind is TermKind.predicate else ""
        used = f"{uses.get(term.id, 0):,}" if term.kind is TermKind.predicate else ""
        rows.append([term.id, term.kind.value, term.label, ", ".join(term.broader), family, ", ".join(flags), used])
    rows += [[p, "UNDECLARED", "", "", "", "", f"{n:,}"] for p, n in sorted(uses.items()) if p not in corpus.vocabulary]
    table = tabulate(
        [[for_terminal(str(c)) for c in row] for row in rows],
        ["term", "kind", "label", "broader", "family", "", "claims"],
        tablefmt="simple",
        maxcolwidths=[28, None, 28, 24, 20, 28, None],
    )
    return table if rows else "No vocabulary declared, and no claims."
