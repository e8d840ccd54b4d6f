"""Options and helpers the `deckbuilder` commands share (cli.py, cli_loop.py)."""

from __future__ import annotations

from pathlib import Path

import click

from deckbuilder.terminal import plural

paths_argument = click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, path_type=Path),
)
quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems.")
verbose_option = click.option("-v", "--verbose", is_flag=True, help="Also print how long each stage took.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
force_option = click.option("--force", is_flag=True,
                            help="Build even if a note type's fields or templates changed (Anki then adds a copy "
                                 "of it and leaves its notes unupdated unless users merge note types).")
PRUNE_HELP = "Drop notes removed from the source (retired) from the packages and lock files."


def prune_option(help: str = PRUNE_HELP):
    return click.option("--prune-retired", is_flag=True, help=help)


def project_config():
    """The settings of pyproject.toml's [tool.deckbuilder], read when a command needs them."""
    from deckbuilder.cli.config import load_config

    return load_config()


def default_paths(paths: tuple[Path, ...], cards: Path) -> list[Path]:
    if paths:
        return list(paths)
    if not cards.is_dir():
        raise click.UsageError(f"no {cards.as_posix()}/ folder here; name the card files or folders to use")
    return [cards]


def progress(quiet: bool, verbose: bool):
    from deckbuilder.progress import Progress

    return Progress(verbose=verbose, bar=not quiet)


def output_option(what: str = "", help: str = ""):
    text = help or f"Folder to write {what} into."
    return click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
                        default=lambda: project_config().build,
                        help=f"{text}  [default: build, or [tool.deckbuilder] build]")


def report(written) -> None:
    """One line per file written: where, which deck, how many notes and cards."""
    from deckbuilder.problems import display_path

    deck = written.deck
    unchanged = " (unchanged)" if written.unchanged else ""
    retired = f" ({written.retired} retired)" if written.retired else ""
    click.echo(f"{display_path(written.path)}: {deck.name} — {plural(deck.note_count, 'note')}{retired}, "
               f"{plural(deck.card_count, 'card')}{unchanged}")


def deck_key(context: click.Context, parameter: click.Parameter, key: str) -> str:
    import re

    from deckbuilder.source.cardformat import KEY_PATTERN

    if not re.fullmatch(KEY_PATTERN, key):
        raise click.BadParameter(f"'{key}' is not a deck key: use lowercase letters, digits and '-', "
                                 "e.g. 'vitamin-d'")
    return key
