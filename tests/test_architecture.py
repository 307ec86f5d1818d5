"""The layering as a rule: imports run one way, down the pipeline. A module may import from its own
layer or a lower one, never from a higher one (CONTRIBUTING.md has the map)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "engine" / "factcheck"
LAYERS = [
    {"errors"},
    {"model"},
    {"language"},
    {"load"},
    {"ingest"},  # imports and `init`: write claims files the loader reads back
    {"compile"},
    {"evaluate"},
    {"tensions"},
    {"review"},
    {"report"},
    {"api", "run_cache", "web"},
    {"cli", "__main__"},
]
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}


def _unit(module: str) -> str:
    """The layer unit of a dotted module name: its sub-package, or the top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports() -> list[tuple[str, str, int]]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("factcheck."):
                found.append((str(relative), _unit(node.module), node.lineno))
            elif isinstance(node, ast.Import):
                found += [
                    (str(relative), _unit(a.name), node.lineno) for a in node.names if a.name.startswith("factcheck.")
                ]
    return found


def test_every_package_has_a_layer() -> None:
    units = {
        p.name if p.is_dir() else p.stem for p in PACKAGE.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()
    }
    assert units - {"__init__"} <= set(LEVEL), units - set(LEVEL)


def _upward(imports: list[tuple[str, str, int]]) -> list[str]:
    upward = []
    for module, target, line in imports:
        source = _unit(module.replace("/", "."))
        if target in LEVEL and source in LEVEL and LEVEL[target] > LEVEL[source]:
            upward.append(f"{module}.py:{line}: {source} imports {target}")
    return upward


def test_no_import_runs_up_the_layers() -> None:
    imports = _imports()
    assert len(imports) > 100  # the scan sees the package
    assert _upward(imports) == []


def test_the_check_catches_an_upward_import() -> None:
    # load/rules.py once compiled the rules it loaded, and compile/ imported evaluate/'s built-ins
    assert _upward([("factcheck/load/rules", "compile", 8), ("factcheck/compile/rule", "evaluate", 12)]) == [
        "factcheck/load/rules.py:8: load imports compile",
        "factcheck/compile/rule.py:12: compile imports evaluate",
    ]
