"""The `deckbuilder` command run in-process, as a user runs it."""

from __future__ import annotations

from click.testing import CliRunner

from deckbuilder.cli.main import main


def run(*args: str):
    """`deckbuilder ARGS…`: its exit code and output (stdout and stderr), as CliRunner gives them."""
    return CliRunner().invoke(main, list(args))
