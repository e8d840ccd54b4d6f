"""Fixtures every test folder shares: card files under tmp_path, deck projects, a fresh real Anki collection."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.support.decks import MINIMAL_DECK


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
def minimal_project(tmp_path, monkeypatch):
    """A deck repository as `deckbuilder` expects it: cards/demo.yaml holding the smallest deck, run from its
    root, at the real time."""
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "demo.yaml").write_text(MINIMAL_DECK)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def in_tmp_path(tmp_path, monkeypatch):
    """Commands run from tmp_path."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def collection(tmp_path):
    """A new, empty Anki collection, as a first-time user has."""
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


@pytest.fixture(scope="session")
def anki_desktop(tmp_path_factory):
    """Anki desktop with the AnkiConnect add-on (apiKey 'test-key'), started once for the session's tests that
    need it and stopped after them; skipped with how to run it where it cannot run."""
    from tests.support import anki_desktop as desktop

    desktop.need_anki_desktop()
    port = desktop.free_port()
    anki = desktop.AnkiDesktop(desktop.make_base(tmp_path_factory.mktemp("anki") / "base", port, "test-key"), port,
                               "test-key")
    anki.start()
    yield anki
    anki.stop()


@pytest.fixture
def anki(anki_desktop):
    """The session's Anki desktop, holding no deck but Default when the test starts and when it ends."""

    def clear() -> None:
        decks = [name for name in anki_desktop.call("deckNames") if name != "Default"]
        if decks:
            anki_desktop.call("deleteDecks", decks=decks, cardsToo=True)

    clear()
    yield anki_desktop
    clear()
