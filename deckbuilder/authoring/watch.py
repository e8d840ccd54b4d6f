"""`deckbuilder watch`: rebuild the packages and previews whenever a card or media file is saved."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import click

from deckbuilder.authoring.preview import write_previews
from deckbuilder.compiler.note import CompiledDeck
from deckbuilder.pipeline.build import build, compile_decks
from deckbuilder.problems import Problem
from deckbuilder.push.ankiconnect import AnkiConnect
from deckbuilder.push.push import Pushed, push_packages
from deckbuilder.source.drafts import DraftsRefused
from deckbuilder.tuning import Speed
from deckbuilder.write.output import Written

# Editors save in bursts (a temporary file, a rename, a backup): wait for 100 ms of quiet, 1.6 s at most.
QUIET_MS = 100
LONGEST_WAIT_MS = 1600
# How often the watcher wakes up when nothing happens; its first wake-up starts the first build, so
# that the watcher is already running during that build and misses no save.
WAKE_MS = 200


@dataclass(frozen=True)
class Rebuild:
    """What one build gave: the packages and pages written and the warnings, or the problems that stopped it.
    Pages without packages: cards without an id (drafts) held the packages back."""

    packages: tuple[Written, ...] = ()
    pages: tuple[Written, ...] = ()
    error: click.ClickException | None = None
    pushed: tuple[Pushed, ...] = ()  # with --push: what Anki holds of each deck now
    push_error: click.ClickException | None = None  # built, but Anki could not be made to hold every deck
    warnings: tuple[Problem, ...] = ()


def rebuild(paths: list[Path], output: Path, first: bool = False, anki: AnkiConnect | None = None) -> Rebuild:
    """Build the packages, then the previews, then (given `anki`) push them; problems are returned, not raised,
    so watching goes on.

    The first build makes everything; later ones leave the decks that did not change (and their pages)."""
    warnings: list[Problem] = []
    try:
        packages = build(paths, output, speed=Speed(reuse=not first), warnings=warnings)
        pages = write_previews([in_source(written) for written in packages if not written.unchanged], output)
    except DraftsRefused:
        return preview_drafts(paths, output)
    except click.ClickException as error:  # problems in the cards, or a file that cannot be written
        return Rebuild(error=error)
    if anki is None:
        return Rebuild(tuple(packages), tuple(pages), warnings=tuple(warnings))
    pushed: list[Pushed] = []
    try:
        pushed.extend(push_packages(anki, packages))
    except click.ClickException as error:  # Anki closed, or refused: the next save pushes again
        return Rebuild(tuple(packages), tuple(pages), pushed=tuple(pushed), push_error=error,
                       warnings=tuple(warnings))
    return Rebuild(tuple(packages), tuple(pages), pushed=tuple(pushed), warnings=tuple(warnings))


def preview_drafts(paths: list[Path], output: Path) -> Rebuild:
    """Cards without an id hold back the packages (and so a push), not the previews: the pages show them, as
    `preview` does."""
    warnings: list[Problem] = []
    try:
        pages = write_previews(compile_decks(paths, warnings=warnings), output)
    except click.ClickException as error:
        return Rebuild(error=error)
    return Rebuild(pages=tuple(pages), warnings=tuple(warnings))


def in_source(package: Written) -> CompiledDeck:
    """A built deck's notes that are in its card files, as `preview` shows them: not the retired ones, which
    the package keeps after them."""
    deck = package.deck
    return replace(deck, notes=deck.notes[:len(deck.notes) - package.retired])


def watched_folders(paths: list[Path]) -> list[Path]:
    """The folders named, and the folder of each file named: media sit beside the card files."""
    folders = [path if path.is_dir() else path.parent for path in paths]
    return list(dict.fromkeys(folder.resolve() for folder in folders))


def source_filter(output: Path):
    """Changes that call for a rebuild: not in the output folder nor lock files (the build's own writes would
    loop), nor editors' swap and backup files or version-control folders."""
    import watchfiles

    output = output.resolve()
    ignores = watchfiles.DefaultFilter()

    def is_source(change, path: str) -> bool:
        written = Path(path).name.endswith(".lock") or ".lock." in Path(path).name  # or its temporary file
        return ignores(change, path) and not written and not Path(path).resolve().is_relative_to(output)

    return is_source


def watch_builds(paths: list[Path], output: Path, stop=None, anki: AnkiConnect | None = None) -> Iterator[Rebuild]:
    """Build now, then after every change below the watched folders, until `stop` (a threading.Event)
    is set, pushing each build to `anki` if given; Ctrl-C raises KeyboardInterrupt."""
    import watchfiles

    changes = watchfiles.watch(*watched_folders(paths), watch_filter=source_filter(output), debounce=LONGEST_WAIT_MS,
                               step=QUIET_MS, stop_event=stop, rust_timeout=WAKE_MS, yield_on_timeout=True)
    for number, changed in enumerate(changes):
        if changed or number == 0:
            yield rebuild(paths, output, first=number == 0, anki=anki)


def clock() -> str:
    return time.strftime("%H:%M:%S")
