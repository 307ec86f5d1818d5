"""Evaluate compiled rules over a corpus: durable_rules (in a worker process) or the reference evaluator."""
