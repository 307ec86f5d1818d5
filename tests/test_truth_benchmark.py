"""benchmarks/truth.py scores findings against labels written apart: a labelled tension is found when a
finding binds only its statements, a finding on a look-alike's statements is wrong, anything else is left
for a person to judge. Checked on the seed with hand-written labels."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

from conftest import ROOT

spec = importlib.util.spec_from_file_location("truth", ROOT / "benchmarks" / "truth.py")
assert spec is not None and spec.loader is not None
truth = importlib.util.module_from_spec(spec)
sys.modules["truth"] = truth  # dataclasses look their module up
spec.loader.exec_module(truth)

LABELS = """\
tensions:
  - {id: t1, statements: [russia-no-turkish-peacekeepers-in-karabakh, akar-duty-after-center-operational, aliyev-center-in-aghdam], kind: contradiction, why: presence where entry is denied}
  - {id: t2, statements: [lavrov-center-operates-remotely, akar-duty-after-center-operational], kind: mode, why: remote vs on site}
  - {id: t3, statements: [akar-officers-dispatched, center-on-azerbaijani-territory], kind: place-conflict, why: a label no rule finds}
  - {id: t4, statements: [russia-turkish-role-limited-to-center], kind: weak-attribution, why: a state paraphrased}
non_tensions:
  - {id: n1, statements: [headline-officers-monitor, akar-duty-after-center-operational], kind: plan-then-completion, why: a look-alike, for the test}
  - {id: n2, statements: [headline-officers-monitor, akar-officers-dispatched], kind: same-figure-restated, why: 36 = 1 + 35}
"""


def test_findings_are_scored_against_the_labels(tmp_path: Path) -> None:
    story = tmp_path / "seed-story"
    shutil.copytree(ROOT / "claims", story / "claims")
    (story / "labels.yaml").write_text(LABELS)
    result = truth.score_story(story, ROOT / "rules")
    assert result.found == {"t1", "t2", "t4"}  # t3 is a tension no rule of the pack looks for
    assert result.by_rule["presence-where-denied"].right == 1
    assert result.by_rule["remote-vs-on-site"].right == 1
    assert result.by_rule["status-overstated"].wrong == 1  # it flags what the labels call a look-alike
    assert [decoy.id for _, decoy in result.wrong] == ["n1"]
    weak = result.by_rule["weak-attribution"]
    # one flag per speaker: Russia's (one of its two claims labelled) and Azerbaijan's, which nobody labelled
    assert (weak.right, weak.wrong, weak.unlabelled) == (1, 0, 1)
    assert {t.rule for t in result.unlabelled} == {"weak-attribution", "role-scope-conflict"}
    # the naive rule (every two statements about one subject) finds none of them: each binds claims about
    # different subjects (the staff, the center, the peacekeepers); it flags both look-alikes, which are
    # claims about the staff
    assert result.pairs_found == set()
    assert (result.pairs.right, result.pairs.wrong) == (0, 2)
    assert result.reachable == {"t1", "t2", "t4"}  # what the pack finds counts as reachable


def test_a_second_reading_of_a_statement_is_scored_as_that_statement() -> None:
    assert [truth.statement_of(c) for c in ("s004", "s004b", "s004c", "s010a", "seed-claim")] == [
        "s004",
        "s004",
        "s004",
        "s010a",  # 'a' is no second reading: the first reading keeps the statement's own id
        "seed-claim",
    ]
