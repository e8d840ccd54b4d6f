"""The authoring loop's commands: `deckbuilder preview` and `deckbuilder watch` (registered in cli.py)."""

from __future__ import annotations

from pathlib import Path

import click

from deckbuilder.cli.options import default_paths, output_option, paths_argument, project_config, report
from deckbuilder.cli.push import anki_options, connection, pushed_lines
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
    from deckbuilder.problems import show_problems

    warnings: list = []
    decks = compile_decks(default_paths(paths, project_config().cards), warnings=warnings)
    show_problems(warnings)
    for written in write_previews(decks, output):
        report(written)
        if open_page:
            click.launch(str(written.path))


@click.command()
@paths_argument
@output_option("the packages and pages")
@click.option("--push", "push_too", is_flag=True, help="Also push every build into the running Anki, as "
              "'deckbuilder push' does.")
@anki_options
def watch(paths: tuple[Path, ...], output: Path, push_too: bool, anki_url: str, anki_key: str | None,
          anki_timeout: float) -> None:
    """Rebuild the packages and previews whenever a card file or media file is saved.

    Watches the folders of the card files (default: cards/). Problems are printed as build prints them,
    and watching goes on; fix the file and save again. With --push, each build is also pushed into the
    running Anki (see 'deckbuilder push'). Ctrl-C stops.

    \b
    Example:
        deckbuilder watch
        deckbuilder watch cards/k2-calcification.yaml -o dist
        deckbuilder watch --push
    """
    from deckbuilder.authoring import watch as watching
    from deckbuilder.problems import display_path

    paths = default_paths(paths, project_config().cards)
    folders = ", ".join(display_path(folder) for folder in watching.watched_folders(paths))
    anki = connection(anki_url, anki_key, anki_timeout) if push_too else None
    try:
        for number, rebuilt in enumerate(watching.watch_builds(paths, output, anki=anki)):
            show_rebuild(rebuilt, first=number == 0)
            if number == 0:
                click.echo(f"Watching {folders} for changes; Ctrl-C stops.")
    except KeyboardInterrupt:
        click.echo("Stopped watching.")


def show_rebuild(rebuilt, first: bool) -> None:
    """Problems and warnings as build shows them; after the first build the files written, after later ones a
    line with the time, the decks and their counts; then what Anki holds of each deck a push imported or whose
    media it restored, or why it could not."""
    from deckbuilder.authoring.watch import clock
    from deckbuilder.problems import show_problems

    if rebuilt.error:
        rebuilt.error.show()
        return
    show_problems(list(rebuilt.warnings))
    if first:
        for written in rebuilt.packages + rebuilt.pages:
            report(written)
    elif not rebuilt.packages:  # cards without an id held the packages back
        click.echo(f"{clock()} previewed {counts(rebuilt.pages)}; no package while a card has no id")
    elif any(not written.unchanged for written in rebuilt.packages):
        click.echo(f"{clock()} rebuilt {counts(written for written in rebuilt.packages if not written.unchanged)}")
    else:  # saved as it was built: after a mistake undone, say all is well again
        click.echo(f"{clock()} up to date: {counts(rebuilt.packages)}")
    for pushed in rebuilt.pushed:
        for line in pushed_lines(pushed) if pushed.imported or pushed.media_restored or first else ():
            click.echo(f"{clock()} {line}" if not line.startswith(" ") else line)
    if rebuilt.push_error:
        rebuilt.push_error.show()


def counts(written) -> str:
    """'k2 (74 notes, 122 cards), …' for the decks of these files."""
    return ", ".join(f"{item.deck.key} ({plural(item.deck.note_count, 'note')}, "
                     f"{plural(item.deck.card_count, 'card')})" for item in written)
