"""Shared fixtures: card files written under tmp_path, and a fresh real Anki collection."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
ARTICLE_DECK = PROJECT / "cards" / "k2-calcification.yaml"

# The smallest deck that builds: used as the base of many tests.
MINIMAL_DECK = """\
deck:
  key: demo
  name: Demo deck
  source:
    title: A demo article
sections:
  - id: s01-intro
    number: 1
    title: Intro
    cards:
      - id: first
        front: What is first?
        back: One
"""

# A second file of the demo deck: a new section, and more cards for the main file's section.
PART_FILE = """\
deck: demo
sections:
  - id: s02-more
    number: 2
    title: More
    cards:
      - {id: second, front: Q2, back: A2}
  - id: s01-intro
    cards:
      - {id: continued, front: Q3, back: A3}
"""


def output_files(folder: Path) -> list[str]:
    """What a build left in its output folder for the user: all but deckbuilder's own build cache."""
    from deckbuilder.speed.cache import FOLDER

    return sorted(path.name for path in folder.iterdir() if path.name != FOLDER)


@pytest.fixture
def write_file(tmp_path):
    """Write a (dedented) text file below tmp_path and return its path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def deck_project(tmp_path, monkeypatch):
    """A deck repository at tmp_path with cards/demo.yaml holding the text given, run from its root; its
    builds happen at one fixed time, as if within one second."""

    def make(text: str) -> Path:
        (tmp_path / "cards").mkdir(exist_ok=True)
        (tmp_path / "cards" / "demo.yaml").write_text(text)
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        return tmp_path

    return make


@pytest.fixture
def collection(tmp_path):
    """A new, empty Anki collection, as a first-time user has."""
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


def import_package(col, path: Path):
    """Import an .apkg with Anki's own importer and default options; returns Anki's import log."""
    from anki.collection import ImportAnkiPackageRequest

    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path))).log
    col.models._clear_cache()  # the Python-side note type cache is stale after an import
    return log
