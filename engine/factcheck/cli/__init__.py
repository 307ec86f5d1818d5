"""The `factcheck` command: a thin click layer over factcheck.api and factcheck.review. Sub-command
groups are registered here, explicitly."""

from factcheck.cli.ingest import import_, init
from factcheck.cli.main import main
from factcheck.cli.review import review
from factcheck.cli.rules import rules
from factcheck.cli.serve import serve

main.add_command(review)
main.add_command(rules)
main.add_command(serve)
main.add_command(init)
main.add_command(import_)

__all__ = ["main"]
