"""Locations in card files and the problems found at them: the one error type users see."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import NamedTuple

import click


class Location(NamedTuple):
    """A point in a card file; line and column count from 1, as editors do.

    A named tuple, not a frozen dataclass: the model keeps one for every text, card and section, and a
    tuple is several times quicker to make, smaller, and (holding only text and numbers) left alone by
    the cycle collector. It is as immutable, and compares, sorts and hashes the same."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in the input, with where it is and, where it helps, how to fix it. A warning is
    printed the same way, after 'warning: ', and stops nothing."""

    where: Location
    message: str
    hint: str = ""
    warning: bool = False

    def __str__(self) -> str:
        text = f"{self.where}: {'warning: ' if self.warning else ''}{self.message}"
        return printable(f"{text} ({self.hint})" if self.hint else text)


def printable(text: str) -> str:
    """One line of visible text: a line break or control character from a card file is shown escaped,
    so every problem stays one 'path:line:col: message' line for people and editors."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def display_path(path: str | os.PathLike) -> str:
    """The path as a user would type it: relative to the working folder when inside it."""
    text = os.fspath(path)
    try:
        relative = os.path.relpath(text)
    except ValueError:  # another drive on Windows
        return text
    return text if relative.startswith("..") else relative


class ContentError(click.ClickException):
    """The input has problems: every one is printed, nothing is written, exit 1. Warnings found on the way
    are printed among them, in place, and not counted."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        count = sum(1 for problem in self.problems if not problem.warning)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.")

    def show(self) -> None:
        show_problems(self.problems)
        click.echo(self.message, err=True)


def show_problems(problems: list[Problem]) -> None:
    """Print problems (warnings, mostly) as every command prints them: one line each, on stderr, by place."""
    for problem in sorted(set(problems)):
        click.echo(str(problem), err=True)


class OutputError(click.ClickException):
    """Writing a package failed (full disk, read-only folder); the previous package is intact."""

    exit_code = 1


class WorkerLost(click.ClickException):
    """A worker process of the build ended before its work was done: killed, or out of memory."""

    exit_code = 1
