"""The corpus of broken inputs (tests/corpus/): every case gives its exact errors, exit 1, and writes nothing.

Each folder under tests/corpus/ is a deck corpus_case as a user has it: `cards/` with the card files (and
any media), `expected.txt` with the exact output of `deckbuilder check` and of `deckbuilder build`,
optionally `expected-pure.txt` where PyYAML's pure-Python loader words or places an error differently
from libyaml, and optionally `previous/cards/`, a valid deck built first, whose lock file is then put beside the case's
cards, as it would be for a user who edits a deck they already built.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from deckbuilder.source import load
from deckbuilder.cli.main import main

CORPUS = Path(__file__).parent.parent / "corpus"
CASES = sorted(path.name for path in CORPUS.iterdir() if (path / "expected.txt").is_file())


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes (a symlink by its target), to see that nothing changed."""
    files = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            files[name] = b"-> " + str(path.readlink()).encode()
        elif path.is_file():
            files[name] = path.read_bytes()
        else:
            files[name] = b"<folder>"
    return files


@pytest.fixture
def corpus_case(request, tmp_path, monkeypatch):
    """The case copied to tmp_path, run from its root, with the previous package built when it has one."""
    case = request.param
    folder = tmp_path / case
    shutil.copytree(CORPUS / case, folder, symlinks=True)
    monkeypatch.chdir(folder)
    if (folder / "previous").is_dir():
        result = CliRunner().invoke(main, ["build", "previous/cards"])
        assert result.exit_code == 0, result.output
        for lock in (folder / "previous" / "cards").glob("*.lock"):
            lock.rename(folder / "cards" / lock.name)
    return folder


def expected_output(folder: Path, pure: bool) -> str:
    if pure and (folder / "expected-pure.txt").is_file():
        return (folder / "expected-pure.txt").read_text(encoding="utf-8")
    return (folder / "expected.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("corpus_case", CASES, indirect=True)
@pytest.mark.parametrize("command", ["check", "build"])
def test_case_gives_its_exact_errors_and_writes_nothing(corpus_case, command):
    before = snapshot(corpus_case)
    result = CliRunner().invoke(main, [command])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert (result.exit_code, result.output) == (1, expected_output(corpus_case, pure=False))
    assert snapshot(corpus_case) == before


@pytest.mark.parametrize("corpus_case", CASES, indirect=True)
def test_case_gives_the_same_errors_with_the_pure_python_loader(corpus_case, monkeypatch):
    """Without libyaml, PyYAML's own loader (nesting guarded by deckbuilder) gives the same answers."""
    monkeypatch.setattr(load, "loader", lambda: load.GuardedSafeLoader)
    result = CliRunner().invoke(main, ["check"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert (result.exit_code, result.output) == (1, expected_output(corpus_case, pure=True))


def test_libyaml_is_used_when_present():
    """The corpus runs above use libyaml; if it were missing they would silently test PyYAML twice."""
    import yaml

    assert issubclass(load.loader(), yaml.CSafeLoader)
