"""Run the benchmark pack (benchmarks/pack/v1.yaml, the v1 default pack) hand-encoded in SQL (duckdb_pack.sql)
over a generated corpus folder, and print the tensions as `factcheck run --format json` does (rule + claim ids only).

    python benchmarks/duckdb_pack.py CORPUS_DIR

The fair baseline: DuckDB reads the entity and claim files itself (read_json), the is-a and tri-state
containment closures are recursive CTEs, and each binding is filtered before it is joined. Nothing goes
through Python row by row.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb


def main() -> int:
    folder = Path(sys.argv[1])
    db = duckdb.connect()
    db.execute("SET preserve_insertion_order = false")  # results are compared as sets: less memory
    db.execute(  # a view: the claims file is read once, straight into the table the rules read (cd)
        f"CREATE VIEW claims AS SELECT * FROM read_json('{folder / 'claims.jsonl'}', format='newline_delimited', "
        "columns={id: 'VARCHAR', speaker: 'VARCHAR', source: 'VARCHAR', said_on: 'VARCHAR', "
        "quote_kind: 'VARCHAR', subject: 'VARCHAR', predicate: 'VARCHAR', object: 'VARCHAR', value: 'JSON', "
        "polarity: 'VARCHAR', status: 'VARCHAR', topics: 'VARCHAR[]', "
        "qualifiers: 'STRUCT(count JSON, place VARCHAR, scope VARCHAR, means VARCHAR[])'})"
    )
    # part_of items are an entity id or {of, disputed, note}: read as JSON, taken apart in SQL
    db.execute(
        f"CREATE TABLE entity_file AS SELECT * FROM read_json('{folder / 'entities.jsonl'}', "
        "format='newline_delimited', columns={id: 'VARCHAR', kind: 'VARCHAR', is_a: 'VARCHAR[]', part_of: 'JSON[]'})"
    )
    db.execute((Path(__file__).parent / "duckdb_pack.sql").read_text())
    rows = db.execute("SELECT rule, ids FROM results").fetchall()
    print(json.dumps({"tensions": [{"rule": r, "claims": [{"claim": c} for c in ids]} for r, ids in rows]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
