"""Read YAML input into validated models, with positions for every error."""
