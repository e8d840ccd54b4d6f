"""The authoring loop's commands: `deckbuilder preview` and `deckbuilder watch` (registered in cli.py)."""

from __future__ import annotations

from pathlib import Path

import click

from deckbuilder.cli.options import default_paths, output_option, paths_argument, project_config, report
from deckbuilder.terminal import plural


@click.command()
@paths_argument
@output_option("the pages")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default browser.")
def preview(paths: tuple[Path, ...], output: Path, open_page: bool) -> None:
    """Write a page per deck showing every card, front and back, as Anki shows it.

    The page (DIR/<deck key>.preview.html) has a search box, a phone and a desktop width and a night-mode
    switch. Nothing is written if any card file has a problem.

    \b
    Example:
        deckbuilder preview --open
        deckbuilder preview cards/k2-calcification.yaml -o dist
    """
    from deckbuilder.authoring.preview import write_previews
    from deckbuilder.pipeline.build import compile_decks

    for written in write_previews(compile_decks(default_paths(paths, project_config().cards)), output):
        report(written)
        if open_page:
            click.launch(str(written.path))


@click.command()
@paths_argument
@output_option("the packages and pages")
def watch(paths: tuple[Path, ...], output: Path) -> None:
    """Rebuild the packages and previews whenever a card file or media file is saved.

    Watches the folders of the card files (default: cards/). Problems are printed as build prints them,
    and watching goes on; fix the file and save again. Ctrl-C stops.

    \b
    Example:
        deckbuilder watch
        deckbuilder watch cards/k2-calcification.yaml -o dist
    """
    from deckbuilder.authoring import watch as watching
    from deckbuilder.problems import display_path

    paths = default_paths(paths, project_config().cards)
    folders = ", ".join(display_path(folder) for folder in watching.watched_folders(paths))
    try:
        for number, rebuilt in enumerate(watching.watch_builds(paths, output)):
            show_rebuild(rebuilt, first=number == 0)
            if number == 0:
                click.echo(f"Watching {folders} for changes; Ctrl-C stops.")
    except KeyboardInterrupt:
        click.echo("Stopped watching.")


def show_rebuild(rebuilt, first: bool) -> None:
    """Problems as build shows them; after the first build the files written, after later ones a line."""
    from deckbuilder.authoring.watch import clock

    if rebuilt.error:
        rebuilt.error.show()
    elif first:
        for written in rebuilt.packages + rebuilt.pages:
            report(written)
    else:
        decks = ", ".join(f"{written.deck.key} ({plural(written.deck.note_count, 'note')}, "
                          f"{plural(written.deck.card_count, 'card')})" for written in rebuilt.packages
                          if not written.unchanged)
        click.echo(f"{clock()} rebuilt {decks}")
