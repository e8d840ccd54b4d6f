"""`deckbuilder push`, and the options that say where Anki is (shared with `watch --push`); registered in main.py."""

from __future__ import annotations

from pathlib import Path

import click

from deckbuilder.cli.options import (default_paths, force_option, output_option, paths_argument, progress,
                                     project_config, prune_option, quiet_option, report, verbose_option)
from deckbuilder.push.ankiconnect import (DEFAULT_TIMEOUT, DEFAULT_URL, KEY_VARIABLE, URL_VARIABLE, AnkiConnect)
from deckbuilder.terminal import plural

SHOWN_NOTES = 3  # of the notes Anki holds otherwise than built, those named


def anki_url(context: click.Context, parameter: click.Parameter, url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"'{url}' is not an address such as {DEFAULT_URL}")
    return url


def positive(context: click.Context, parameter: click.Parameter, seconds: float) -> float:
    if not seconds > 0:
        raise click.BadParameter(f"{seconds:g} is not a number of seconds above 0")
    return seconds


def anki_options(command):
    """--anki-url, --anki-key and --anki-timeout: where AnkiConnect is (see `connection`)."""
    options = [
        click.option("--anki-url", envvar=URL_VARIABLE, default=DEFAULT_URL, show_default=True, callback=anki_url,
                     metavar="URL", help=f"Where AnkiConnect listens (also ${URL_VARIABLE})."),
        click.option("--anki-key", envvar=KEY_VARIABLE, default=None, metavar="KEY",
                     help=f"The apiKey set in AnkiConnect's settings, if any (also ${KEY_VARIABLE})."),
        click.option("--anki-timeout", type=float, default=DEFAULT_TIMEOUT, show_default=True,
                     callback=positive, metavar="SECONDS", help="How long to wait for each answer from Anki."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def connection(anki_url: str, anki_key: str | None, anki_timeout: float) -> AnkiConnect:
    return AnkiConnect(anki_url, anki_key or None, anki_timeout)


@click.command()
@paths_argument
@output_option("the packages")
@anki_options
@force_option
@prune_option()
@quiet_option
@verbose_option
def push(paths: tuple[Path, ...], output: Path, anki_url: str, anki_key: str | None, anki_timeout: float,
         force: bool, prune_retired: bool, quiet: bool, verbose: bool) -> None:
    """Build as `build` does, then have the running Anki desktop import each deck it lacks.

    Anki imports the package itself, as a double-click would: edited notes are updated, new ones added,
    removed cards retired, and every review kept. A deck is imported whenever that changes what Anki holds
    (an edit, a new profile, a deck deleted in Anki, a push that could not reach Anki), and left alone
    otherwise. Needs the AnkiConnect add-on (code 2055492159) in Anki, and Anki on this machine.

    \b
    Example:
        deckbuilder push
        deckbuilder push cards/k2-calcification.yaml --anki-key "$KEY"
    """
    from deckbuilder.lock.release import ReleaseOptions
    from deckbuilder.pipeline.build import build
    from deckbuilder.problems import show_problems
    from deckbuilder.push.push import push_packages

    warnings: list = []
    written = build(default_paths(paths, project_config().cards), output,
                    ReleaseOptions(force=force, prune_retired=prune_retired), progress(quiet, verbose),
                    warnings=warnings)
    show_problems(warnings)
    for package in written if not quiet else ():
        report(package)
    for pushed in push_packages(connection(anki_url, anki_key, anki_timeout), written):
        for line in pushed_lines(pushed) if not quiet else ():
            click.echo(line)


def pushed_lines(pushed) -> list[str]:
    """What Anki holds of a deck after a push, in plan's words, and the media files the push stored there; then the
    package's notes it holds otherwise."""
    retired = f" ({pushed.retired} retired)" if pushed.retired else ""
    restored = f", {plural(pushed.media_restored, 'media file')} restored" if pushed.media_restored else ""
    if pushed.imported:
        retiring = f" ({pushed.retired_now} of them retired now)" if pushed.retired_now else ""
        lines = [f"{pushed.key}: Anki added {plural(pushed.added, 'note')}, updated {pushed.updated}{retiring} and "
                 f"left {pushed.unchanged} unchanged; it holds {plural(pushed.holds, 'note')} of the deck{retired}"
                 f"{restored}"]
    else:
        lines = [f"{pushed.key}: Anki holds it already ({plural(pushed.holds, 'note')}{retired}); nothing imported"
                 f"{restored}"]
    if pushed.edited_in_anki:
        lines.append(f"  Anki keeps {some_notes(pushed.edited_in_anki)} as edited there, not as built (an edit made "
                     "in Anki after the card last changed stays; edit the card to send it again)")
    if pushed.not_in_deck:
        lines.append(f"  the deck in Anki lacks {some_notes(pushed.not_in_deck)} of the package (moved to another "
                     "deck there? Anki updates a note where it is)")
    return lines


def some_notes(first_fields: tuple[str, ...]) -> str:
    """"2 notes ('What…?', 'Which…?')", naming a few."""
    shown = ", ".join(f"'{shortened(text)}'" for text in first_fields[:SHOWN_NOTES])
    more = f" and {len(first_fields) - SHOWN_NOTES} more" if len(first_fields) > SHOWN_NOTES else ""
    return f"{plural(len(first_fields), 'note')} ({shown}{more})"


def shortened(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"
