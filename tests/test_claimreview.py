"""ClaimReview out (`review export --format claimreview`, checked by a real JSON-LD processor) and in
(`import claimreview`): rated claims become schema.org ClaimReview, and ClaimReview feeds become claims
files that load, with stable ids and located errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

from conftest import ROOT, invoke, write
from factcheck.load.corpus import Undeclared, load_corpus

# The schema.org context restricted to ClaimReview's terms (no @vocab): a key schema.org does not define
# there would vanish on expansion, so the round trip below fails on any misspelt or invented term.
CONTEXT = ROOT / "tests" / "data" / "schemaorg-claimreview.context.jsonld"
SCHEMA = "http://schema.org/"


def offline_loader(url: str, options: Any = None) -> dict[str, Any]:
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"the JSON-LD processor tried to fetch {url}")
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(CONTEXT.read_text())}


OPTIONS = {"documentLoader": offline_loader}

ORGANISATION = 'organisation: {name: Example Checks, url: "https://checks.example/"}\n'


@pytest.fixture
def rated(workspace: Path) -> tuple[Path, dict[str, Any]]:
    """The seed workspace with its high finding confirmed and two claims rated; the export, parsed."""
    write(workspace, "factcheck.yaml", ORGANISATION)
    document = json.loads(invoke("run", "--format", "json", cwd=workspace).output)
    (high,) = [t for t in document["tensions"] if t["severity"] == "high"]
    assert invoke("review", "mark", high["id"][:10], "confirmed", "--by", "ana", cwd=workspace).exit_code == 0
    by = ["--by", "ana"]
    rate = ["review", "rate", "aliyev-center-in-aghdam", "--rating", "Misleading", "--value", "2", *by]
    assert invoke(*rate, "--note", "Aghdam lies outside the former oblast.", cwd=workspace).exit_code == 0
    assert (
        invoke(
            "review", "rate", "lavrov-center-operates-remotely", "--rating", "Unproven", *by, cwd=workspace
        ).exit_code
        == 0
    )
    result = invoke("review", "export", "--format", "claimreview", cwd=workspace)
    assert result.exit_code == 0, result.output
    return workspace, json.loads(result.output)


def test_claimreview_export_round_trips_through_a_json_ld_processor(rated: tuple[Path, dict[str, Any]]) -> None:
    _, document = rated
    expanded = jsonld.expand(document, OPTIONS)
    assert len(expanded) == 2 and all(node["@type"] == [f"{SCHEMA}ClaimReview"] for node in expanded)
    compacted = jsonld.compact(expanded, "https://schema.org", OPTIONS)
    assert compacted["@graph"] == document["@graph"]  # every term is schema.org's, and nothing was lost

    reviews = {node[f"{SCHEMA}identifier"][0]["@value"]: node for node in expanded}
    aghdam = reviews["aliyev-center-in-aghdam"]

    def value(node: dict[str, Any], *path: str) -> Any:
        for key in path[:-1]:
            node = node[f"{SCHEMA}{key}"][0]
        return node[f"{SCHEMA}{path[-1]}"][0].get("@value", node[f"{SCHEMA}{path[-1]}"][0].get("@id"))

    assert value(aghdam, "claimReviewed").startswith("Earlier in December, Azerbaijani President Ilham Aliyev said")
    claim = aghdam[f"{SCHEMA}itemReviewed"][0]
    assert claim["@type"] == [f"{SCHEMA}Claim"]
    assert claim[f"{SCHEMA}author"][0]["@type"] == [f"{SCHEMA}Person"]
    assert value(claim, "author", "name") == "Ilham Aliyev"
    assert value(claim, "datePublished") == "2020-12"
    assert value(claim, "appearance", "headline").startswith("Turkey dispatches general")
    rating = aghdam[f"{SCHEMA}reviewRating"][0]
    assert rating["@type"] == [f"{SCHEMA}Rating"]
    assert (value(aghdam, "reviewRating", "alternateName"), value(aghdam, "reviewRating", "ratingValue")) == (
        "Misleading",
        2,
    )
    author = aghdam[f"{SCHEMA}author"][0]
    assert author["@type"] == [f"{SCHEMA}Organization"] and value(aghdam, "author", "url") == "https://checks.example/"
    body = value(aghdam, "reviewBody")
    assert body.startswith("Aghdam lies outside the former oblast.") and "Confirmed inconsistencies:" in body
    assert "Nagorno-Karabakh" in body  # the confirmed tension's message
    lavrov = reviews["lavrov-center-operates-remotely"]
    assert value(lavrov, "reviewRating", "alternateName") == "Unproven" and f"{SCHEMA}reviewBody" not in lavrov
    assert value(lavrov, "itemReviewed", "author", "name") == "Sergey Lavrov"


def test_a_rated_claim_missing_from_the_claims_is_an_error(rated: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    workspace, _ = rated
    write(tmp_path, "other/c.yaml", "claims: []\n")
    result = invoke("review", "export", "--format", "claimreview", "--claims", str(tmp_path / "other"), cwd=workspace)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "rated claim(s) 'aliyev-center-in-aghdam', 'lavrov-center-operates-remotely' not found" in result.output


def test_exported_claimreview_imports_back_as_claims(rated: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    _, document = rated
    (tmp_path / "feed.json").write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "new"
    assert invoke("init", str(target)).exit_code == 0
    result = invoke("import", "claimreview", str(tmp_path / "feed.json"), cwd=target)
    assert result.exit_code == 0, result.output
    corpus = load_corpus([target / "claims"], Undeclared.error)
    imported = [c for c in corpus.claims.values() if c.predicate == "asserts"]
    assert {c.quote[:30] for c in imported} == {g["claimReviewed"][:30] for g in document["@graph"]}
    # the speakers are the workspace's own entities, found by name, not declared twice
    assert {c.speaker for c in imported} == {"ilham-aliyev", "sergey-lavrov"}
    assert all(
        "rated 'Misleading' by Example Checks" in (c.note or "") for c in imported if c.speaker == "ilham-aliyev"
    )
    first = (target / "claims" / "imported.yaml").read_text()
    assert invoke("import", "claimreview", str(tmp_path / "feed.json"), cwd=target).exit_code == 0
    assert (target / "claims" / "imported.yaml").read_text() == first  # stable ids: a re-import changes nothing
    assert invoke("run", cwd=target).exit_code == 0


FEED_ITEM = {
    "@type": "ClaimReview",
    "url": "https://checker.example/reviews/1",
    "claimReviewed": "The bridge cost 3 billion.",
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Jane Roe", "jobTitle": "Mayor"},
        "datePublished": "2021-03-04",
        "appearance": {"@type": "CreativeWork", "url": "https://news.example/a", "headline": "Mayor on the bridge"},
    },
    "author": {"@type": "Organization", "name": "Checker"},
    "reviewRating": {"@type": "Rating", "alternateName": "False"},
    "datePublished": "2021-03-10",
}


@pytest.mark.parametrize(
    "shape",
    [
        {"@context": "https://schema.org", **FEED_ITEM},
        [FEED_ITEM],
        {"@context": "https://schema.org", "@graph": [FEED_ITEM]},
        {"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": [FEED_ITEM]}]},
        {
            "claims": [
                {
                    "text": "The bridge cost 3 billion.",
                    "claimant": "Jane Roe",
                    "claimDate": "2021-03-04T00:00:00Z",
                    "claimReview": [
                        {
                            "publisher": {"name": "Checker", "site": "checker.example"},
                            "url": "https://checker.example/reviews/1",
                            "title": "Did the bridge cost 3 billion?",
                            "reviewDate": "2021-03-10T00:00:00Z",
                            "textualRating": "False",
                        }
                    ],
                }
            ]
        },
    ],
    ids=["object", "list", "graph", "datafeed", "fact-check-tools-api"],
)
def test_every_feed_shape_imports(tmp_path: Path, shape: Any) -> None:
    write(tmp_path, "feed.json", json.dumps(shape, indent=1))
    result = invoke("import", "claimreview", "feed.json", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    corpus = load_corpus([tmp_path / "claims"], Undeclared.error)
    (claim,) = corpus.claims.values()
    assert (claim.quote, claim.said_on.date, corpus.entities[claim.speaker].name) == (
        "The bridge cost 3 billion.",
        "2021-03-04",
        "Jane Roe",
    )
    assert "rated 'False' by Checker" in (claim.note or "")


def test_feed_errors_are_located_and_say_how_to_fix_them(tmp_path: Path) -> None:
    broken = [
        {**FEED_ITEM, "claimReviewed": ""},
        {**FEED_ITEM, "itemReviewed": {**FEED_ITEM["itemReviewed"], "datePublished": "last week"}},
        {key: value for key, value in FEED_ITEM.items() if key != "itemReviewed"},
        {**FEED_ITEM, "itemReviewed": {**FEED_ITEM["itemReviewed"], "datePublished": "2021-02-30"}},
    ]
    write(tmp_path, "feed.json", json.dumps(broken, indent=1))
    result = invoke("import", "claimreview", "feed.json", cwd=tmp_path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines == [
        "feed.json:2:2: this ClaimReview has no claimReviewed; add the text of the claim it reviews",
        "feed.json:41:21: 'last week' is not a date; write it as ISO 8601, e.g. 2020-12-29 or 2020-12-29T10:00:00Z",
        "feed.json:58:2: no author of the claim; add itemReviewed.author.name",
        "feed.json:72:2: said_on: '2021-02-30' is not a real calendar date; write YYYY-MM-DD, YYYY-MM or YYYY, "
        "with a leading ~ when approximate (e.g. ~2020-12)",
    ]
    assert not (tmp_path / "claims").exists()  # nothing written
    write(tmp_path, "none.json", '{"@type": "WebPage"}')
    assert "no ClaimReview found" in invoke("import", "claimreview", "none.json", cwd=tmp_path).output
    write(tmp_path, "bad.json", '{"a": 1,}')
    result = invoke("import", "claimreview", "bad.json", cwd=tmp_path)
    assert result.exit_code == 2 and result.output.startswith("bad.json:1:")
