"""`deckbuilder init`: a new deck file with one example of every card type, that builds as it is."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from string import Template

from deckbuilder.source.cardformat import SCHEMA_FILE_NAME, json_schema_text
from deckbuilder.problems import OutputError, display_path
from deckbuilder.write.atomic import write_atomically


def deck_text(key: str) -> str:
    """The new deck file's text for a deck key."""
    template = Template(files("deckbuilder.authoring").joinpath("templates", "deck.yaml").read_text(encoding="utf-8"))
    return template.substitute(key=key, name=key.replace("-", " ").title())


def create_deck(key: str, folder: Path) -> list[Path]:
    """Write `folder/key.yaml`, and the JSON Schema beside it if missing or outdated; returns what was written."""
    target = folder / f"{key}.yaml"
    if target.exists():
        raise OutputError(f"{display_path(target)} already exists; choose another key, or remove it first "
                          "(nothing was written)")
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(target, deck_text(key).encode("utf-8"))
    written = [target]
    schema = folder / SCHEMA_FILE_NAME
    if not schema.exists() or schema.read_text(encoding="utf-8") != json_schema_text():
        write_atomically(schema, json_schema_text().encode("utf-8"))
        written.append(schema)
    return written
