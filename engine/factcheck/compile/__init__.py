"""Check rule specs against the rule language and compile them to safe durable_rules rulesets."""
