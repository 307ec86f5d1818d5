"""Reviews of flagged tensions: verdicts with an audit history, kept in SQLite across re-runs."""
