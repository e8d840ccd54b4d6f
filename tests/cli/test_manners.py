"""Everyday command-line manners: -q and -v, a progress bar only where it helps, colour only on a
terminal and never with NO_COLOR, and shell completion."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from deckbuilder.cli.main import main
from deckbuilder.progress import SHOW_AFTER_SECONDS, Progress
from deckbuilder.terminal import paint


DECKBUILDER = Path(sys.executable).with_name("deckbuilder")


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_quiet_build_and_check_print_nothing_but_still_work(minimal_project):
    for command in ("check", "build"):
        result = CliRunner().invoke(main, [command, "-q"])
        assert (result.exit_code, result.output) == (0, "")
    assert (minimal_project / "build" / "demo.apkg").is_file()


def test_verbose_build_prints_each_stage_and_its_time_on_stderr(minimal_project):
    result = CliRunner().invoke(main, ["build", "-v"])
    assert result.stdout == "build/demo.apkg: Demo deck — 1 note, 1 card\n"
    stages = [re.fullmatch(r"(.+): \d+\.\d\d s", line) for line in result.stderr.splitlines()]
    assert [stage.group(1) for stage in stages] == ["read", "compile demo", "write"]


def clock(*times: float):
    values = iter(times)
    return lambda: next(values)


def test_the_bar_shows_on_a_terminal_once_the_build_takes_a_moment():
    terminal = Terminal()
    progress = Progress(terminal, clock=clock(0, 0, *[SHOW_AFTER_SECONDS] * 3, 9))
    assert list(progress.over("read", ["a", "b", "c"])) == ["a", "b", "c"]
    shown = terminal.getvalue()
    assert "read" in shown and "33%" in shown and "100%" in shown and shown.endswith("\n")


def test_no_bar_for_a_quick_build_nor_off_a_terminal_nor_when_quiet():
    quick, piped, quiet = Terminal(), io.StringIO(), Terminal()
    for stream, bar, times in ((quick, True, [0] * 5), (piped, True, [0, 0, 9, 9, 9]), (quiet, False, [0, 0, 9, 9, 9])):
        assert list(Progress(stream, bar=bar, clock=clock(*times)).over("read", [1, 2, 3])) == [1, 2, 3]
        assert stream.getvalue() == ""


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert paint("ok", Terminal(), fg="green") == "\x1b[32mok\x1b[0m"
    assert paint("ok", io.StringIO(), fg="green") == "ok"
    monkeypatch.setenv("NO_COLOR", "1")
    assert paint("ok", Terminal(), fg="green") == "ok"


def test_output_to_a_pipe_has_no_colour(minimal_project):
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    result = subprocess.run([DECKBUILDER, "check"], capture_output=True, text=True, env=env)
    assert result.stdout == "demo: ok — 1 note, 1 card\n"


@pytest.mark.parametrize("shell, marker", [("bash", "complete -o nosort -F _deckbuilder_completion deckbuilder"),
                                           ("zsh", "compdef _deckbuilder_completion deckbuilder"),
                                           ("fish", "complete --no-files --command deckbuilder")])
def test_shell_completion_scripts(shell, marker):
    env = {**os.environ, "_DECKBUILDER_COMPLETE": f"{shell}_source"}
    result = subprocess.run([DECKBUILDER], capture_output=True, text=True, env=env)
    assert result.returncode == 0
    assert marker in result.stdout


def test_completion_completes_commands_and_options():
    def complete(words: str) -> list[str]:
        env = {**os.environ, "_DECKBUILDER_COMPLETE": "bash_complete", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - 1)}
        return subprocess.run([DECKBUILDER], capture_output=True, text=True, env=env).stdout.split()

    assert complete("deckbuilder li") == ["plain,lint"]
    assert complete("deckbuilder lint --r") == ["plain,--rules"]
