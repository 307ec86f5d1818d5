"""One finding per question: reports that say the same thing fill a binding in turn and make one finding
that lists every supporting tuple; its id stays when reports come and go, and a verdict follows it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import invoke
from factcheck.review.store import ReviewStore
from factcheck.review.verdicts import Standing, Status
from factcheck.tensions.build import fingerprint

SEED = "duvar-2020-12-30-monitoring-center.yaml"


def report(claim_id: str, outlet_day: int, speaker: str = "ilham-aliyev") -> str:
    """Another outlet's report of Aliyev placing the center in Aghdam: the same statement, reported again."""
    return (
        f"  - {{id: {claim_id}, speaker: {speaker}, source: duvar-2020-12-30, said_on: 2020-12-{outlet_day:02d}, "
        "quote: 'Aliyev said the center will be in Aghdam.', quote_kind: paraphrase, attribution: {via: [duvar-english]}, "
        "subject: joint-center, predicate: located-in, object: aghdam, status: planned, "
        "topics: [turkey-russia-monitoring-center]}\n"
    )


def findings(workspace: Path, rule: str) -> list[dict[str, object]]:
    result = invoke("run", "--format", "json", cwd=workspace)
    assert result.exit_code == 0, result.output
    return [t for t in json.loads(result.output)["tensions"] if t["rule"] == rule]


def test_five_reports_of_one_placement_are_one_finding_listing_them(workspace: Path) -> None:
    (only,) = findings(workspace, "presence-where-denied")
    extra = "".join(report(f"aghdam-report-{i}", 20 + i) for i in range(4))
    (workspace / "claims" / "reports.yaml").write_text("claims:\n" + extra)
    (grouped,) = findings(workspace, "presence-where-denied")
    assert grouped["id"] == only["id"]  # the same question: its id stays as reports are added
    assert grouped["support"] == [
        ["russia-no-turkish-peacekeepers-in-karabakh", "akar-duty-after-center-operational", site]
        for site in [
            "aghdam-report-0",
            "aghdam-report-1",
            "aghdam-report-2",
            "aghdam-report-3",
            "aliyev-center-in-aghdam",
        ]
    ]
    table = invoke("run", cwd=workspace).output
    row = next(line for line in table.splitlines() if line.startswith(str(only["id"])[:10]))
    assert row.split()[4] == "7"  # the denial, the staff claim and five placements
    shown = invoke("show", str(only["id"])[:10], cwd=workspace).output
    assert "the same question, raised by 5 tuples of reports:" in shown and "site=aghdam-report-3" in shown


def test_two_claims_encoded_from_one_statement_never_make_two_rows(workspace: Path) -> None:
    seed = (workspace / "claims" / SEED).read_text()
    start = seed.index("  - id: russia-no-turkish-peacekeepers-in-karabakh")
    end = seed.index("\n\n", start)
    twin = seed[start:end].replace("russia-no-turkish-peacekeepers-in-karabakh", "russia-denial-encoded-twice")
    (workspace / "claims" / "twin.yaml").write_text("claims:\n" + twin + "\n")
    weak = [t for t in findings(workspace, "weak-attribution") if "NOT enters" in str(t["message"])]
    assert len(weak) == 1
    # one flag per speaker so credited: both encodings of the statement support it, as one row
    assert ["russia-denial-encoded-twice"] in weak[0]["support"]
    assert ["russia-no-turkish-peacekeepers-in-karabakh"] in weak[0]["support"]
    assert len(findings(workspace, "presence-where-denied")) == 1


def test_a_verdict_stays_with_its_finding_as_reports_come_and_go(workspace: Path, review_db: Path) -> None:
    (finding,) = findings(workspace, "presence-where-denied")
    fid = str(finding["id"])
    assert invoke("review", "mark", fid[:10], "confirmed", "--by", "ana", cwd=workspace).exit_code == 0
    (workspace / "claims" / "reports.yaml").write_text("claims:\n" + report("aghdam-report", 21))
    findings(workspace, "presence-where-denied")
    with ReviewStore(review_db) as store:
        record = store.record(fid)
    assert (record.status, record.standing) == (Status.confirmed, Standing.changed)  # kept; a new report to look at
    (workspace / "claims" / "reports.yaml").unlink()
    findings(workspace, "presence-where-denied")
    with ReviewStore(review_db) as store:
        assert store.record(fid).status is Status.confirmed


def test_a_verdict_follows_its_reports_when_the_question_is_reworded(workspace: Path, review_db: Path) -> None:
    """The placement re-encoded as Azerbaijan's rather than Aliyev's: another question, the same reports."""
    (before,) = findings(workspace, "presence-where-denied")
    assert invoke("review", "mark", str(before["id"])[:10], "confirmed", "--by", "ana", cwd=workspace).exit_code == 0
    seed = workspace / "claims" / SEED
    text = seed.read_text()
    seed.write_text(
        text.replace(
            "  - id: aliyev-center-in-aghdam\n    speaker: ilham-aliyev",
            "  - id: aliyev-center-in-aghdam\n    speaker: azerbaijan",
        )
    )
    (after,) = findings(workspace, "presence-where-denied")
    assert after["id"] != before["id"]
    with ReviewStore(review_db) as store:
        record = store.record(str(after["id"]))
        history = store.history(str(after["id"]))
    assert (record.status, record.standing) == (Status.confirmed, Standing.changed)
    assert history[-1].by == "factcheck" and "carried over from" in str(history[-1].note)


def test_a_verdict_of_a_v1_store_carries_over_to_its_finding(workspace: Path, review_db: Path) -> None:
    """v1 keyed a tension by its rule and claim ids: that is now the id of one supporting tuple."""
    invoke("run", cwd=workspace)
    bindings = {
        "denial": "russia-no-turkish-peacekeepers-in-karabakh",
        "staff": "akar-duty-after-center-operational",
        "site": "aliyev-center-in-aghdam",
    }
    legacy = fingerprint("presence-where-denied", bindings)
    with sqlite3.connect(review_db) as db:
        db.execute("DELETE FROM verdicts")
        db.execute("DELETE FROM support")
        db.execute(
            "INSERT INTO verdicts (fingerprint, status, reviewer, decided_at, content_digest)"
            " VALUES (?, 'dismissed', 'ana', '2026-11-01T00:00:00+00:00', 'v1')",
            (legacy,),
        )
    (finding,) = findings(workspace, "presence-where-denied")
    with ReviewStore(review_db) as store:
        assert store.record(str(finding["id"])).status is Status.dismissed
