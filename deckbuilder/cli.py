"""The `deckbuilder` command: parses arguments, calls one function, maps problems to exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .cli_loop import preview, watch
from .cli_options import (default_paths, json_option, output_option, paths_argument, progress, project_config,
                          quiet_option, report, verbose_option)
from .terminal import paint, plural

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="deckbuilder")
def main() -> None:
    """Compile YAML card definitions into Anki packages (.apkg) that update cleanly on re-import.

    Defaults (the cards and build folders, lint settings) come from [tool.deckbuilder] in the nearest
    pyproject.toml.

    \b
    Example:
        deckbuilder init my-article  # a new deck file to start from
        deckbuilder lint             # cards that will be hard to learn
        deckbuilder build            # cards/*.yaml -> build/<deck key>.apkg
    """


@main.command()
@paths_argument
@output_option("the packages")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="How many decks to build at once.  [default: one per core]")
@quiet_option
@verbose_option
def build(paths: tuple[Path, ...], output: Path, jobs: int | None, quiet: bool, verbose: bool) -> None:
    """Build an Anki package per deck from card files or folders (default: cards/).

    Every file is checked first; if any has a problem, all problems are listed and nothing is written.

    \b
    Example:
        deckbuilder build
        deckbuilder build cards/k2-calcification.yaml -o dist
    """
    from .build import build as build_packages

    written = build_packages(default_paths(paths, project_config().cards), output, progress(quiet, verbose),
                             jobs=jobs)
    for package in written if not quiet else ():
        report(package)


@main.command()
@paths_argument
@output_option(help="Folder of the last build: a card whose type changed since then is a problem.")
@quiet_option
@verbose_option
def check(paths: tuple[Path, ...], output: Path, quiet: bool, verbose: bool) -> None:
    """Check card files or folders (default: cards/) without writing anything.

    \b
    Example:
        deckbuilder check
        deckbuilder check cards/k2-calcification.yaml
    """
    from .build import check as check_decks

    decks = check_decks(default_paths(paths, project_config().cards), progress(quiet, verbose), output)
    for deck in decks if not quiet else ():
        ok = paint("ok", sys.stdout, fg="green")
        click.echo(f"{deck.key}: {ok} — {plural(len(deck.notes), 'note')}, {plural(deck.card_count, 'card')}")


@main.command()
@paths_argument
@json_option
@click.option("--rules", "list_rules", is_flag=True, help="List every rule with its severity and why, and stop.")
@quiet_option
def lint(paths: tuple[Path, ...], as_json: bool, list_rules: bool, quiet: bool) -> None:
    """Find cards that will be hard to learn, and cards that render badly.

    Prints `path:line:col: rule-id message` per problem and exits 1 if any is an error; warnings alone
    exit 0. `--rules` lists the rules. Switch a rule off for one card or one file with
    `lint: {ignore: [rule-id]}`, or for the project in pyproject.toml:
    `[tool.deckbuilder.lint] ignore = ["rule-id"]`.

    \b
    Example:
        deckbuilder lint
        deckbuilder lint cards/k2-calcification.yaml --json
    """
    from .lint import findings_json, lint as lint_decks, rules_table, summary
    from .terminal import table

    if list_rules:
        for line in table(("rule", "severity", "why"), rules_table()):
            click.echo(line)
        return
    config = project_config()
    findings = lint_decks(default_paths(paths, config.cards), config.lint)
    if as_json:
        click.echo(findings_json(findings), nl=False)
    else:
        for finding in findings:
            rule = paint(finding.rule, sys.stdout, fg="red" if finding.severity == "error" else "yellow", bold=True)
            click.echo(f"{finding.where}: {rule} {finding.message}")
        if not quiet:
            click.echo(summary(findings))
    if any(finding.severity == "error" for finding in findings):
        raise SystemExit(1)


@main.command()
@paths_argument
@click.option("--write", is_flag=True, help="Add the ids to the files (otherwise only list the cards without one).")
def ids(paths: tuple[Path, ...], write: bool) -> None:
    """Give every card and relationship without an id a fresh one.

    Without --write, lists the cards that have no id and exits 1 if there are any. With --write, adds an
    `id:` line to each of them in place; everything else in the file stays as it was, comments included.

    \b
    Example:
        deckbuilder ids               # which cards have no id?
        deckbuilder ids --write       # give them one
    """
    from .ids import add_ids, missing_ids
    from .problems import display_path

    files = missing_ids(default_paths(paths, project_config().cards))
    count = sum(len(file.cards) for file in files)
    if write:
        for file in add_ids(files):
            click.echo(f"{display_path(file.path)}: {plural(len(file.cards), 'id')} added")
    else:
        for file in files:
            for card in file.cards:
                click.echo(f"{card.where}: {card.what} has no id (--write gives it '{card.new_id}')")
    if not count:
        click.echo("every card has an id")
    elif not write:
        click.echo(f"{plural(count, 'card')} without an id; run 'deckbuilder ids --write' to add them")
        raise SystemExit(1)


def deck_key(context: click.Context, parameter: click.Parameter, key: str) -> str:
    import re

    from .cardformat import KEY_PATTERN

    if not re.fullmatch(KEY_PATTERN, key):
        raise click.BadParameter(f"'{key}' is not a deck key: use lowercase letters, digits and '-', "
                                 "e.g. 'vitamin-d'")
    return key


@main.command()
@click.argument("key", callback=deck_key)
@click.option("-d", "--folder", type=click.Path(file_okay=False, path_type=Path),
              default=lambda: project_config().cards,
              help="Folder to create the deck file in.  [default: cards, or [tool.deckbuilder] cards]")
def init(key: str, folder: Path) -> None:
    """Start a new deck: KEY.yaml with one example of every card type, ready to build.

    KEY is the deck's key (lowercase letters, digits and '-'): it names the file and the package and
    namespaces every card's identity, so choose it once. The JSON Schema for editors is written beside it.

    \b
    Example:
        deckbuilder init vitamin-d
        deckbuilder init vitamin-d -d decks
    """
    from .problems import display_path
    from .scaffold import create_deck

    for path in create_deck(key, folder):
        click.echo(f"created {display_path(path)}")
    click.echo("next: fill in the article and cards, then 'deckbuilder lint' and 'deckbuilder build'")


@main.command()
@paths_argument
@json_option
def stats(paths: tuple[Path, ...], as_json: bool) -> None:
    """Count the notes and cards of each deck by section, by type and by tag.

    \b
    Example:
        deckbuilder stats
        deckbuilder stats cards/k2-calcification.yaml --json
    """
    from .stats import deck_stats, stats_json, stats_lines

    counts = deck_stats(default_paths(paths, project_config().cards))
    if as_json:
        click.echo(stats_json(counts), nl=False)
    else:
        click.echo("\n".join(stats_lines(counts)))


@main.command()
def schema() -> None:
    """Print the card format as JSON Schema, for editors and other tools.

    \b
    Example:
        deckbuilder schema > cards/deckbuilder.schema.json
    """
    from .cardformat import json_schema_text

    click.echo(json_schema_text(), nl=False)


# The authoring loop's commands live in cli_loop.py; registered here, so `main` lists them all.
main.add_command(preview)
main.add_command(watch)
