"""factcheck: flag tensions between attributed claims with declarative YAML rules.

Pipeline (one sub-package per stage):
    load/      YAML files -> validated models (claims corpus, rule specs), with file:line:col errors
    compile/   rule specs -> checked rules and safe durable_rules rulesets
    evaluate/  rules x claims -> matches (durable_rules worker, or the reference evaluator)
    tensions/  matches -> tensions (fingerprint, message, explanation)
    report/    tensions -> table / json / jsonl / csv / markdown
The library entry point is :func:`factcheck.api.check`; the CLI is a thin layer over it.
"""

__version__ = "0.1.0"
