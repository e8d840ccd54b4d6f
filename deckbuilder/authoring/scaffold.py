"""`deckbuilder init`: a new deck file with one example of every card type, that builds as it is, and around it
what a deck repository needs: its settings and a .gitignore for the build folder."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path
from string import Template

from deckbuilder.source.cardformat import json_schema_text, schema_to_write
from deckbuilder.problems import OutputError, display_path
from deckbuilder.write.atomic import write_atomically


def template(name: str) -> Template:
    return Template(files("deckbuilder.authoring").joinpath("templates", name).read_text(encoding="utf-8"))


def deck_text(key: str) -> str:
    """The new deck file's text for a deck key."""
    return template("deck.yaml").substitute(key=key, name=key.replace("-", " ").title())


def create_deck(key: str, folder: Path) -> list[Path]:
    """Write `folder/key.yaml`, and the JSON Schema beside it if missing or outdated; returns what was written."""
    target = folder / f"{key}.yaml"
    if target.exists():
        raise OutputError(f"{display_path(target)} already exists; choose another key, or remove it first "
                          "(nothing was written)")
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(target, deck_text(key).encode("utf-8"))
    written = [target]
    schema = schema_to_write(folder)
    if schema is not None:
        write_atomically(schema, json_schema_text().encode("utf-8"))
        written.append(schema)
    return written


def create_repository_files(root: Path, build: Path, settings: bool) -> list[Path]:
    """What makes `root` a deck repository, each file only if it has none: pyproject.toml with deckbuilder's
    settings (if `settings`: no pyproject.toml was found), and a .gitignore for the build folder (whose
    packages and cache a build makes again). Returns what was written."""
    written = []
    if settings and not (root / "pyproject.toml").exists():
        write_atomically(root / "pyproject.toml", template("pyproject.toml").template.encode("utf-8"))
        written.append(root / "pyproject.toml")
    ignored = Path(os.path.relpath(build.resolve(), root.resolve())).as_posix()
    if not (root / ".gitignore").exists() and not ignored.startswith("..") and ignored != ".":
        write_atomically(root / ".gitignore", template("gitignore").substitute(build=ignored).encode("utf-8"))
        written.append(root / ".gitignore")
    return written
