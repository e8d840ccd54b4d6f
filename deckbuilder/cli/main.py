"""The `deckbuilder` command: parses arguments, calls one function, maps problems to exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from deckbuilder import __version__
from deckbuilder.cli.importing import import_command
from deckbuilder.cli.loop import preview, watch
from deckbuilder.cli.push import push
from deckbuilder.cli.options import (deck_key, default_paths, force_option, json_option, output_option, paths_argument,
                                     progress, project_config, prune_option, quiet_option, report, verbose_option)
from deckbuilder.problems import show_problems
from deckbuilder.terminal import paint, plural

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
              help="How many processes share the work: files read, cards compiled and packages written at once.  "
                   "[default: one per core]")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 naming the lock files and packages a build would change.")
@force_option
@prune_option()
@quiet_option
@verbose_option
def build(paths: tuple[Path, ...], output: Path, jobs: int | None, check_only: bool, force: bool,
          prune_retired: bool, quiet: bool, verbose: bool) -> None:
    """Build an Anki package per deck from card files or folders (default: cards/), and its lock file.

    Every file is checked first; if any has a problem, all problems are listed and nothing is written.
    The lock file (<deck key>.lock beside the deck's card file) records what each note was last sent as,
    so a re-import updates exactly the notes that changed: commit it with the cards.

    \b
    Example:
        deckbuilder build
        deckbuilder build cards/k2-calcification.yaml -o dist
        deckbuilder build --check    # in CI: are the lock files up to date?
    """
    from deckbuilder.lock.release import ReleaseOptions
    from deckbuilder.pipeline.build import build as build_packages
    from deckbuilder.tuning import Speed

    options = ReleaseOptions(force=force, prune_retired=prune_retired)
    cards = default_paths(paths, project_config().cards)
    if check_only:
        report_stale(cards, output, progress(quiet, verbose), options, quiet)
        return
    warnings: list = []
    written = build_packages(cards, output, options, progress(quiet, verbose), Speed(jobs=jobs), warnings)
    show_problems(warnings)
    for package in written if not quiet else ():
        report(package)


def report_stale(cards: list[Path], output: Path, progress, options, quiet: bool) -> None:
    from deckbuilder.pipeline.plan import stale

    warnings: list = []
    found = stale(cards, output, options, progress, warnings)
    show_problems(warnings)
    for item in found:
        click.echo(f"{item.path}: a build would change this {item.why} of deck '{item.deck}'")
    if found:
        click.echo("run 'deckbuilder build' and commit the lock files", err=True)
        raise SystemExit(1)
    if not quiet:
        click.echo("up to date: a build would change no lock file or package")


@main.command()
@paths_argument
@output_option(help="Folder the packages go to (only to name them).")
@json_option
@prune_option("Say what a build with --prune-retired would do.")
@click.option("--since", metavar="REF", help="Compare with the lock files as committed at this git tag or commit "
              "(a release) instead of the last build: what learners of that release will see.")
def plan(paths: tuple[Path, ...], output: Path, as_json: bool, prune_retired: bool, since: str | None) -> None:
    """Say what re-importing each deck's next package will do in Anki, before building it.

    Compares the card files with each deck's lock file (the last build, or with --since the release that
    a tag or commit names): new notes, updated notes with a field-by-field diff, unchanged notes, notes
    removed from the source (retired: Anki never deletes them), note type changes, a renamed deck, a card
    moved to another subdeck, a renumbered cloze. Writes nothing.

    \b
    Example:
        deckbuilder plan
        deckbuilder plan --since v3  # what learners of the release tagged v3 get
        deckbuilder plan --json
    """
    from deckbuilder.cli.plan_report import plan_json, plan_lines
    from deckbuilder.lock.release import ReleaseOptions
    from deckbuilder.pipeline.plan import plan as plan_decks

    warnings: list = []
    plans = plan_decks(default_paths(paths, project_config().cards), output,
                       options=ReleaseOptions(force=True, prune_retired=prune_retired), warnings=warnings, since=since)
    show_problems(warnings)
    if as_json:
        click.echo(plan_json(plans), nl=False)
        return
    for number, (deck_plan, package, lock) in enumerate(plans):
        click.echo("\n".join(([""] if number else []) + plan_lines(deck_plan, package, lock, since)))


@main.command()
@paths_argument
@quiet_option
@verbose_option
def check(paths: tuple[Path, ...], quiet: bool, verbose: bool) -> None:
    """Check card files or folders (default: cards/) without writing anything.

    Changes since a deck's lock file (its last build) that Anki would refuse are problems too.

    \b
    Example:
        deckbuilder check
        deckbuilder check cards/k2-calcification.yaml
    """
    from deckbuilder.pipeline.build import check as check_decks

    warnings: list = []
    decks = check_decks(default_paths(paths, project_config().cards), progress(quiet, verbose), warnings=warnings)
    show_problems(warnings)
    for deck in decks if not quiet else ():
        ok = paint("ok", sys.stdout, fg="green")
        click.echo(f"{deck.key}: {ok} — {plural(deck.note_count, 'note')}, {plural(deck.card_count, 'card')}")


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
    from deckbuilder.lint.linter import CHECK_RULE, findings_json, lint as lint_decks, rules_table, summary
    from deckbuilder.terminal import table

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
            if finding.rule == CHECK_RULE:
                click.echo(str(finding))
                continue
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
    from deckbuilder.authoring.ids import add_ids, missing_ids
    from deckbuilder.problems import display_path

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


@main.command()
@click.argument("key", callback=deck_key)
@click.option("-d", "--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to create the deck file in, in a repository already set up: nothing else is written.  "
                   "[default: cards, or [tool.deckbuilder] cards]")
def init(key: str, folder: Path | None) -> None:
    """Start a new deck: KEY.yaml with one example of every card type, ready to build.

    KEY is the deck's key (lowercase letters, digits and '-'): it names the file and the package and
    namespaces every card's identity, so choose it once. The JSON Schema for editors is written beside it.
    Without -d, the deck repository is made ready too: pyproject.toml with deckbuilder's settings if none
    is found here or above, and a .gitignore for the build folder if the repository has none.

    \b
    Example:
        deckbuilder init vitamin-d
        deckbuilder init vitamin-d -d decks
    """
    from deckbuilder.authoring.scaffold import create_deck, create_repository_files
    from deckbuilder.cli.config import find_pyproject
    from deckbuilder.problems import display_path

    config = project_config()
    created = create_deck(key, folder or config.cards)
    if folder is None:
        pyproject = find_pyproject(Path.cwd().resolve())
        root = pyproject.parent if pyproject is not None else Path.cwd()
        created += create_repository_files(root, config.build, settings=pyproject is None)
    for path in created:
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
    from deckbuilder.authoring.stats import deck_stats, stats_json, stats_lines

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
    from deckbuilder.source.cardformat import json_schema_text

    click.echo(json_schema_text(), nl=False)


# The authoring loop's commands live in cli_loop.py; registered here, so `main` lists them all.
main.add_command(preview)
main.add_command(watch)
main.add_command(push)
main.add_command(import_command)
