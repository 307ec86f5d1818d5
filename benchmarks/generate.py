"""Seeded synthetic corpora for benchmarks: realistic skew, a known set of planted tensions.

    python benchmarks/generate.py --claims 100000 --out /tmp/corpus-100k [--format jsonl|yaml] [--seed 7]

Writes the seed gazetteer plus generated speakers, groups and places, the sources and the vocabulary, as
OUT/entities.jsonl, OUT/sources.jsonl and OUT/vocabulary.jsonl (or OUT/entities.yaml with --format yaml); the claims as
OUT/claims.jsonl (or claims.yaml); and OUT/expected.json (the planted tensions as [rule, claim ids]).

Background claims follow Zipf-like sizes over topics, speakers and subjects and use the predicates,
qualifiers and quote kinds of the default pack, but are built so the default pack finds nothing in
them; planted tensions are copies of the seed article (7 tensions each) with their own topic and
their own copies of the groups and the center, so they only interact with each other as the
article's claims do.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PREDICATES = [
    "visit",
    "discuss",
    "announce",
    "meet",
    "inspect",
    "fund",
    "support",
    "oppose",
    "monitor",
    "stand-by",
    "dispatched-to",
    "located-in",
]
CLONED = ("turkish-monitoring-staff", "turkish-peacekeepers", "joint-center")


def zipf_index(rng: random.Random, size: int, s: float = 1.1) -> int:
    """An index in [0, size) drawn with Zipf-like skew (a few very large groups, a long tail)."""
    return min(size - 1, int(size ** rng.random() ** s) - 1) if size > 1 else 0


def seed_claims() -> list[dict[str, Any]]:
    text = (ROOT / "claims" / "duvar-2020-12-30-monitoring-center.yaml").read_text()
    return yaml.safe_load(text)["claims"]


def plant(copy: int, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    suffix = f"-p{copy}"

    def rename(value: Any) -> Any:
        return value + suffix if value in CLONED else value

    planted = []
    for claim in claims:
        item = json.loads(json.dumps(claim, default=str))
        item["id"] += suffix
        item["topics"] = [t + suffix for t in item["topics"]]
        for key in ("subject", "object"):
            if key in item:
                item[key] = rename(item[key])
        if "place" in item.get("qualifiers", {}):
            item["qualifiers"]["place"] = rename(item["qualifiers"]["place"])
        said_on = item["said_on"]
        if isinstance(said_on, dict):  # the bulk format keeps the short text form (~2020-12, 2020)
            item["said_on"] = ("~" if said_on.get("approximate") else "") + str(said_on["date"])
        planted.append(item)
    return planted


def generate(total: int, seed: int) -> tuple[list[dict[str, Any]], Iterator[dict[str, Any]], list[list[Any]]]:
    """The entities, the claims (planted ones first, then the background, made as they are written: ten
    million claims are never held at once) and the planted tensions."""
    rng = random.Random(seed)
    copies = max(1, min(100, total // 2000))
    speakers = max(10, total // 50)
    subjects = max(10, total // 20)
    topics = max(5, total // 100)
    places = 500
    entities: list[dict[str, Any]] = []
    entities += [
        {"id": f"person-{i}", "name": f"Person {i}", "kind": "person", "role": "Official"} for i in range(speakers)
    ]
    entities += [
        {
            "id": f"group-{i}",
            "name": f"Group {i}",
            "kind": "group",
            "is_a": ["turkish-military-personnel"] if i % 7 == 0 else [],
        }
        for i in range(subjects)
    ]
    entities += [
        {"id": f"place-{i}", "name": f"Place {i}", "kind": "place", "part_of": ["azerbaijan"]} for i in range(places)
    ]
    for copy in range(copies):
        entities += [
            {
                "id": f"turkish-monitoring-staff-p{copy}",
                "name": f"Turkish monitoring staff {copy}",
                "kind": "group",
                "is_a": ["turkish-officers"],
            },
            {
                "id": f"turkish-peacekeepers-p{copy}",
                "name": f"Turkish peacekeepers {copy}",
                "kind": "group",
                "is_a": ["turkish-military-personnel"],
            },
            {"id": f"joint-center-p{copy}", "name": f"Joint center {copy}", "kind": "facility"},
        ]
    planted: list[dict[str, Any]] = []
    seed_items = seed_claims()
    expected: list[list[Any]] = []
    for copy in range(copies):
        planted += plant(copy, seed_items)
        expected += [[rule, [c + f"-p{copy}" for c in ids]] for rule, ids in SEED_TENSIONS]
    return entities, chain(planted, background(rng, total - len(planted), speakers, subjects, topics)), expected


def background(rng: random.Random, count: int, speakers: int, subjects: int, topics: int) -> Iterator[dict[str, Any]]:
    places = 500
    for i in range(count):
        subject = rng.randrange(subjects)  # topics and speakers carry the skew; see docs/performance.md
        predicate = PREDICATES[(subject + zipf_index(rng, len(PREDICATES))) % len(PREDICATES)]
        item: dict[str, Any] = {
            "id": f"bg-{i}",
            "speaker": f"person-{zipf_index(rng, speakers)}",
            "source": "bench-source",
            "said_on": f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "quote": f"Statement {i} about group {subject}.",
            "quote_kind": "direct",
            "subject": f"group-{subject}",
            "predicate": predicate,
            # one object per subject and predicate, so nobody changes position
            "object": f"place-{(subject * 31 + len(predicate)) % places}",
            "status": "done",
            "topics": sorted({f"topic-{zipf_index(rng, topics)}" for _ in range(rng.randint(1, 2))}),
        }
        if subject % 20 == 0:  # every claim about a counted group gives the same count: no mismatch
            item["qualifiers"] = {"count": 10 + subject % 90}
        yield item


# The seed article's tensions under the benchmark pack (benchmarks/pack/v1.yaml, the v1 default pack).
SEED_TENSIONS = [
    (
        "presence-where-entry-denied",
        ["russia-no-turkish-peacekeepers-in-karabakh", "akar-duty-after-center-operational", "aliyev-center-in-aghdam"],
    ),
    (
        "remote-operation-vs-personnel-on-site",
        ["lavrov-center-operates-remotely", "akar-duty-after-center-operational"],
    ),
    ("role-scope-conflict", ["azerbaijan-presses-turkish-role-in-talks", "russia-turkish-role-limited-to-center"]),
    ("status-overstated", ["headline-officers-monitor", "akar-duty-after-center-operational"]),
    ("weak-attribution", ["azerbaijan-presses-turkish-role-in-talks"]),
    ("weak-attribution", ["russia-turkish-role-limited-to-center"]),
    ("weak-attribution", ["russia-no-turkish-peacekeepers-in-karabakh"]),
]


def with_noise(claims: Iterator[dict[str, Any]], noise: float, rng: random.Random) -> Iterator[dict[str, Any]]:
    for claim in claims:
        if claim["id"].startswith("bg-") and rng.random() < noise:
            claim["object"] = f"place-{rng.randrange(500)}"
        yield claim


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", choices=["jsonl", "yaml"], default="jsonl")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--noise",
        type=float,
        default=0.0,
        help="move this fraction of background statements to a random object: speakers then change "
        "position, the engine gets real work, and the expected set is unknown (expected.json holds null)",
    )
    args = parser.parse_args()
    entities, claims, expected = generate(args.claims, args.seed)
    if args.noise:
        claims = with_noise(claims, args.noise, random.Random(args.seed + 1))
    args.out.mkdir(parents=True, exist_ok=True)
    gazetteer = yaml.safe_load((ROOT / "claims" / "gazetteer.yaml").read_text())
    sources = yaml.safe_load((ROOT / "claims" / "duvar-2020-12-30-monitoring-center.yaml").read_text())["sources"]
    sources.append(
        {"id": "bench-source", "outlet": "Bench Wire", "title": "Synthetic statements", "published": "2021-12-31"}
    )
    sources = json.loads(json.dumps(sources, default=str))
    vocabulary = yaml.safe_load((ROOT / "claims" / "vocabulary.yaml").read_text())["vocabulary"]
    declared = {term["id"] for term in vocabulary}
    used = set(PREDICATES) | {c["predicate"] for c in seed_claims()}  # every predicate a claim may use
    vocabulary += [{"id": p, "label": p.replace("-", " ")} for p in sorted(used - declared)]
    if args.format == "jsonl":  # the bulk format throughout: tens of thousands of entities parse 10x faster
        items_by_name = (
            ("sources", sources),
            ("entities", gazetteer["entities"] + entities),
            ("vocabulary", vocabulary),
        )
        for name, items in items_by_name:
            with (args.out / f"{name}.jsonl").open("w") as handle:
                for item in items:
                    handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    else:
        (args.out / "entities.yaml").write_text(
            yaml.safe_dump(
                {"sources": sources, "entities": gazetteer["entities"] + entities, "vocabulary": vocabulary},
                sort_keys=False,
                allow_unicode=True,
            )
        )
    if args.format == "jsonl":
        with (args.out / "claims.jsonl").open("w") as handle:
            for claim in claims:
                handle.write(json.dumps(claim, ensure_ascii=False) + "\n")
    else:
        (args.out / "claims.yaml").write_text(
            yaml.safe_dump({"claims": list(claims)}, sort_keys=False, allow_unicode=True)
        )
    (args.out / "expected.json").write_text(json.dumps(None if args.noise else sorted(expected)))
    print(f"{args.claims} claims ({len(expected)} planted tensions) in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
