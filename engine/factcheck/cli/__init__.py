"""The `factcheck` command: a thin click layer over factcheck.api and factcheck.review. Sub-command
groups are registered here, explicitly."""

from factcheck.cli.main import main
from factcheck.cli.review import review
from factcheck.cli.rules import rules

main.add_command(review)
main.add_command(rules)

__all__ = ["main"]
