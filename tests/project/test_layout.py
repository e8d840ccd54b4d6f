"""The layout holds its plan: stages import only the stages before them, the speed machinery is imported by the
pipeline alone, and no modules import each other in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.decks import PROJECT

PACKAGE = PROJECT / "deckbuilder"
# The stages in the order data flows through them; a stage may import the ones before it, never after. The
# modules beside the folders (problems, model, progress, terminal, tuning) come first: every stage may use them.
STAGES = ["anki", "source", "compiler", "lock", "write", "speed", "pipeline", "push", "lint", "authoring", "importing",
          "cli"]
# The cache, the memo, the worker processes and the cycle-collector pause wrap the stages from outside.
SPEED_USERS = {"speed", "pipeline"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The deckbuilder modules a module imports, at its top or inside its functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("deckbuilder"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)  # `from deckbuilder.x import y`
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("deckbuilder"))
    return found


def graph() -> dict[str, set[str]]:
    """Module → the deckbuilder modules it imports (packages and names that are not modules left out)."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: {target for target in imports_of(path) if target in modules and target != name}
            for name, path in modules.items()}


def stage_of(module: str) -> str | None:
    """The stage folder a module is in; None for the modules beside the folders (`python -m deckbuilder` runs
    the command line)."""
    parts = module.split(".")
    return "cli" if module == "deckbuilder.__main__" else parts[1] if len(parts) > 2 else None


def test_a_stage_imports_only_the_stages_before_it():
    wrong = []
    for module, targets in graph().items():
        for target in targets:
            source_stage, target_stage = stage_of(module), stage_of(target)
            if target_stage is None:
                continue
            if source_stage is None or STAGES.index(target_stage) > STAGES.index(source_stage):
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_only_the_pipeline_imports_the_speed_machinery():
    wrong = [f"{module} imports {target}" for module, targets in graph().items() for target in targets
             if stage_of(target) == "speed" and stage_of(module) not in SPEED_USERS]
    assert wrong == []


def test_the_compiler_knows_nothing_of_caches_or_workers():
    """compile_card is a pure function of a card and its deck: the speed machinery calls it, never the reverse."""
    machinery = {"gc", "pickle", "multiprocessing", "concurrent", "concurrent.futures", "threading"}
    used = set()
    for path in (PACKAGE / "compiler").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                used.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                used.add(node.module)
    assert used and not used & machinery


def test_no_modules_import_each_other_in_a_circle():
    edges = graph()
    cycles = []

    def visit(module: str, path: list[str], on_path: set[str], done: set[str]) -> None:
        for target in sorted(edges[module]):
            if target in on_path:
                cycles.append(" → ".join(path[path.index(target):] + [target]))
            elif target not in done:
                on_path.add(target)
                visit(target, path + [target], on_path, done)
                on_path.discard(target)
        done.add(module)

    done: set[str] = set()
    for module in sorted(edges):
        if module not in done:
            visit(module, [module], {module}, done)
    assert cycles == []


def test_the_tree_shows_the_stages():
    """Folders name the stages; at most eight modules sit beside them."""
    assert sorted(path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__") == \
        sorted(STAGES)
    assert len(list(PACKAGE.glob("*.py"))) <= 8
