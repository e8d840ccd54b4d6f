"""The `deckbuilder` command: parses arguments, calls one function, maps problems to exit codes."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__

DEFAULT_CARDS = Path("cards")
DEFAULT_OUTPUT = Path("build")

paths_argument = click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, path_type=Path),
)


def default_paths(paths: tuple[Path, ...]) -> list[Path]:
    if paths:
        return list(paths)
    if not DEFAULT_CARDS.is_dir():
        raise click.UsageError("no cards/ folder here; name the card files or folders to use")
    return [DEFAULT_CARDS]


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="deckbuilder")
def main() -> None:
    """Compile YAML card definitions into Anki packages (.apkg) that update cleanly on re-import.

    \b
    Example:
        deckbuilder check            # validate every card file in cards/
        deckbuilder build            # cards/*.yaml -> build/<deck key>.apkg
    """


def output_option(what: str):
    return click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUT,
                        show_default=True, help=f"Folder to write {what} into.")


def report(written) -> None:
    """One line per file written: where, which deck, how many notes and cards."""
    from .problems import display_path

    deck = written.deck
    click.echo(f"{display_path(written.path)}: {deck.name} — {plural(len(deck.notes), 'note')}, "
               f"{plural(deck.card_count, 'card')}")


@main.command()
@paths_argument
@output_option("the packages")
def build(paths: tuple[Path, ...], output: Path) -> None:
    """Build an Anki package per deck from card files or folders (default: cards/).

    Every file is checked first; if any has a problem, all problems are listed and nothing is written.

    \b
    Example:
        deckbuilder build
        deckbuilder build cards/k2-calcification.yaml -o dist
    """
    from .build import build as build_packages

    for written in build_packages(default_paths(paths), output):
        report(written)


@main.command()
@paths_argument
def check(paths: tuple[Path, ...]) -> None:
    """Check card files or folders (default: cards/) without writing anything.

    \b
    Example:
        deckbuilder check
        deckbuilder check cards/k2-calcification.yaml
    """
    from .build import check as check_decks

    for deck in check_decks(default_paths(paths)):
        click.echo(f"{deck.key}: ok — {plural(len(deck.notes), 'note')}, {plural(deck.card_count, 'card')}")


@main.command()
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
    from .build import check as check_decks
    from .preview import write_previews

    for written in write_previews(check_decks(default_paths(paths)), output):
        report(written)
        if open_page:
            click.launch(str(written.path))


@main.command()
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
    from . import watch as watching
    from .problems import display_path

    paths = default_paths(paths)
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
    from .watch import clock

    if rebuilt.error:
        rebuilt.error.show()
    elif first:
        for written in rebuilt.packages + rebuilt.pages:
            report(written)
    else:
        decks = ", ".join(f"{written.deck.key} ({plural(len(written.deck.notes), 'note')}, "
                          f"{plural(written.deck.card_count, 'card')})" for written in rebuilt.packages)
        click.echo(f"{clock()} rebuilt {decks}")


@main.command()
def schema() -> None:
    """Print the card format as JSON Schema, for editors and other tools.

    \b
    Example:
        deckbuilder schema > cards/deckbuilder.schema.json
    """
    from .cardformat import json_schema_text

    click.echo(json_schema_text(), nl=False)
