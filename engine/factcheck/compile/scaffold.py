"""`factcheck rules new`: a commented rule skeleton whose own tests pass, to edit from."""

from __future__ import annotations

import re

from factcheck.model.rule import RULE_ID_PATTERN

TEMPLATE = """\
# yaml-language-server: $schema=../schema/rules.schema.json
# A new rule. Edit it, then:
#   factcheck rules validate {path}   (typos, unknown fields and built-ins, with file:line:col)
#   factcheck rules test {path}       (the inline tests below)
#   factcheck run                     (on the workspace's claims)
# The rule language is described in docs/rules.md.
rules:
  - id: {rule_id}
    title: Two speakers give different counts for the same group    # one line, shown in reports
    severity: medium                # info | low | medium | high
    description: >-
      What the tension means for a fact-checker and what to check next.
    join: subject                   # the field every binding shares; 'topic' = a common topic
    bindings:                       # 1 to 3 claims, each with field tests ({{field: value}}, {{field: {{op: value}}}})
      first: {{qualifiers.count: {{exists: true}}}}
      second: {{qualifiers.count: {{exists: true}}}}
    where:                          # built-ins that must all hold
      - different-speaker: [first, second]
      - ordered: [first, second]    # a symmetric pair is reported once
      - numeric-difference: {{left: first.qualifiers.count, right: second.qualifiers.count, more-than: 0}}
    message: >-
      {{first.speaker.name}} counts {{first.qualifiers.count}} {{first.subject.name}};
      {{second.speaker.name}} counts {{second.qualifiers.count}}
    tests:                          # claims may omit source, said_on, quote, quote_kind and topics
      - name: two speakers, two counts for one group
        entities:                   # extra entities for this test, beside the workspace's
          - {{id: example-minister, name: Example Minister, kind: person}}
          - {{id: example-agency, name: Example Agency, kind: institution}}
          - {{id: example-group, name: Example group, kind: group}}
        claims:
          - {{id: c1, speaker: example-minister, subject: example-group, predicate: deploy, qualifiers: {{count: 36}}}}
          - {{id: c2, speaker: example-agency, subject: example-group, predicate: deploy, qualifiers: {{count: 40}}}}
        expect: [{{first: c1, second: c2}}]
      - name: the same count is silent
        entities:
          - {{id: example-minister, name: Example Minister, kind: person}}
          - {{id: example-agency, name: Example Agency, kind: institution}}
          - {{id: example-group, name: Example group, kind: group}}
        claims:
          - {{id: c1, speaker: example-minister, subject: example-group, predicate: deploy, qualifiers: {{count: 36}}}}
          - {{id: c2, speaker: example-agency, subject: example-group, predicate: deploy, qualifiers: {{count: 36}}}}
        expect: []
"""


def valid_rule_id(rule_id: str) -> bool:
    return re.fullmatch(RULE_ID_PATTERN.strip("^$"), rule_id) is not None


def skeleton(rule_id: str, path: str) -> str:
    return TEMPLATE.format(rule_id=rule_id, path=path)
