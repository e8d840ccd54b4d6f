"""`deckbuilder import`: bring a deck made elsewhere in; registered in main.py."""

from __future__ import annotations

from pathlib import Path

import click

from deckbuilder.cli.options import deck_key, project_config


def optional_key(context: click.Context, parameter: click.Parameter, key: str | None) -> str | None:
    return None if key is None else deck_key(context, parameter, key)


@click.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              default=lambda: project_config().cards,
              help="Folder to write the deck's card files, media and lock file into.  [default: cards, or "
                   "[tool.deckbuilder] cards]")
@click.option("--key", callback=optional_key, metavar="KEY",
              help="The deck's key (names its files).  [default: from the deck's name]")
@click.option("--deck", "deck", metavar="NAME", help="The deck to import, with its subdecks, when the source holds "
                                                     "several (e.g. a whole collection).")
@click.option("--ids-from", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="APKG",
              help="For a CrowdAnki deck: an .apkg exported from the collection it came from, whose note types "
                   "(matched by crowdanki_uuid) and notes give their Anki ids and mods.")
@click.option("--force", is_flag=True, help="Replace the deck's card files, lock file and media if they exist.")
def import_command(source: Path, output: Path, key: str | None, deck: str | None, ids_from: Path | None,
                   force: bool) -> None:
    """Turn an Anki deck, a CrowdAnki folder or a spreadsheet into card files you can build.

    SOURCE is an .apkg or .colpkg exported by Anki (any version), a CrowdAnki folder (or its deck.json), or a
    CSV/TSV file. The deck's card files (KEY.yaml), its media and its lock file (KEY.lock) are written to the
    cards folder; building them without an edit makes a package that changes nothing in the collections that have
    the deck. Nothing is written if the source cannot be read, or if the deck's files exist (unless --force).

    \b
    Example:
        deckbuilder import Spanish.apkg
        deckbuilder import collection.colpkg --deck "Languages::Spanish" --key spanish
        deckbuilder import vocabulary.csv -o cards/vocabulary
    """
    from deckbuilder.importing.importer import Options, import_deck
    from deckbuilder.pipeline.build import build_time

    _, lines = import_deck(source, output, Options(key, deck, force, ids_from), build_time())
    click.echo("\n".join(lines))
