"""A deck's lock file as committed at a git ref (a release tag, a commit): what learners of that release have.

The lock file follows every build, `watch`'s included, so it describes the last build, not what learners
imported. A deck author thinks in releases; `plan --since v3` compares with the lock file of the commit
tagged v3 instead. git is asked with its own plumbing (`rev-parse`, `cat-file`, `show`), run in the lock
file's folder so that paths and refs mean what they mean to the author there.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import click

from deckbuilder.lock.read import parse_lock_text
from deckbuilder.lock.records import Lock
from deckbuilder.problems import ContentError, Location, Problem, display_path

NOT_COMMITTED = ("learners of that release have none of its notes: plan the other decks by naming their card files, "
                 "or leave out --since to compare with the last build")


def git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=folder, capture_output=True)
    except FileNotFoundError:
        raise click.UsageError("--since reads the lock file from git, which is not installed") from None


def commit_of(ref: str, folder: Path) -> str:
    """The commit `ref` names in the repository holding `folder`; a usage error if there is none."""
    if git(folder, "rev-parse", "--show-toplevel").returncode != 0:
        raise click.UsageError(f"--since {ref}: {display_path(folder)}/ is not in a git repository; commit the "
                               "card and lock files, and tag each release (git tag v1)")
    found = None if ref.startswith("-") else git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if found is None or found.returncode != 0:
        raise click.UsageError(f"--since {ref}: no tag, branch or commit of that name in this repository "
                               "('git tag' lists the tags, 'git log' the commits)")
    return found.stdout.decode().strip()


def lock_at(ref: str, lock_file: Path) -> Lock:
    """The lock file as committed at `ref`; a ContentError if it was not committed there or is damaged."""
    folder = lock_file.parent
    commit = commit_of(ref, folder)
    shown = f"{ref}:{display_path(lock_file)}"
    path = f"{commit}:./{lock_file.name}"
    if git(folder, "cat-file", "-e", path).returncode != 0:
        raise ContentError([Problem(Location(display_path(lock_file)), f"there is no lock file at {ref} "
                                    f"({commit[:12]}): the deck had no build committed then", NOT_COMMITTED)])
    return parse_lock_text(git(folder, "show", path).stdout, shown)
