"""Run the benchmark pack (benchmarks/pack/v1.yaml, the v1 default pack) hand-encoded in SQL (duckdb_pack.sql)
over a generated corpus folder, and print the tensions as `factcheck run --format json` does (rule + claim ids only).

    python benchmarks/duckdb_pack.py CORPUS_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import yaml

from factcheck.model.corpus import Corpus
from factcheck.model.entity import Entity


def ancestors(corpus: Corpus, entity_id: str) -> set[str]:
    """The transitive is_a closure of one entity, itself included (as factcheck's is-a built-in)."""
    seen, stack = {entity_id}, [entity_id]
    while stack:
        for parent in corpus.entities[stack.pop()].is_a:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def main() -> int:
    folder = Path(sys.argv[1])
    if (folder / "entities.jsonl").exists():
        with (folder / "entities.jsonl").open() as lines:
            items = [json.loads(line) for line in lines if line.strip()]
    else:
        items = yaml.load((folder / "entities.yaml").read_text(), Loader=yaml.CSafeLoader)["entities"]
    corpus = Corpus(entities={e["id"]: Entity.model_validate(e) for e in items})
    db = duckdb.connect()
    db.execute(
        f"CREATE TABLE claims AS SELECT * FROM read_json('{folder / 'claims.jsonl'}', format='newline_delimited', "
        "columns={id: 'VARCHAR', speaker: 'VARCHAR', source: 'VARCHAR', said_on: 'VARCHAR', quote: 'VARCHAR', "
        "quote_kind: 'VARCHAR', subject: 'VARCHAR', predicate: 'VARCHAR', object: 'VARCHAR', value: 'JSON', "
        "polarity: 'VARCHAR', status: 'VARCHAR', topics: 'VARCHAR[]', note: 'VARCHAR', "
        "qualifiers: 'STRUCT(count JSON, place VARCHAR, scope VARCHAR, means VARCHAR[])'})"
    )
    db.execute("CREATE TABLE entities (id VARCHAR, kind VARCHAR)")
    db.executemany("INSERT INTO entities VALUES (?, ?)", [(e.id, e.kind.value) for e in corpus.entities.values()])
    db.execute("CREATE TABLE is_a (entity VARCHAR, class VARCHAR)")
    db.executemany(
        "INSERT INTO is_a VALUES (?, ?)",
        [(e, c) for e in corpus.entities for c in ancestors(corpus, e)],
    )
    # containment is asked only of (site object, denied region) pairs: compute those answers in Python
    pairs = db.execute(
        "SELECT DISTINCT s.object, d.object FROM claims s, claims d WHERE s.predicate = 'located-in' "
        "AND d.predicate = 'enter' AND s.object IS NOT NULL AND d.object IS NOT NULL"
    ).fetchall()
    db.execute("CREATE TABLE within (place VARCHAR, region VARCHAR, answer VARCHAR)")
    db.executemany("INSERT INTO within VALUES (?, ?, ?)", [(p, r, corpus.within(p, r).answer.value) for p, r in pairs])
    db.execute((Path(__file__).parent / "duckdb_pack.sql").read_text())
    rows = db.execute("SELECT rule, ids FROM results").fetchall()
    print(json.dumps({"tensions": [{"rule": r, "claims": [{"claim": c} for c in ids]} for r, ids in rows]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
