"""pydantic models: the contract for sources, entities, claims, rules and tensions."""
