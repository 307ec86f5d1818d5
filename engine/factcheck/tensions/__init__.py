"""Turn rule matches into tensions: stable fingerprints, rendered messages, explanations."""
