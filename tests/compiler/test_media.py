"""Media safety: what a card may refer to. Escapes, absolute paths and links out are in tests/corpus/;
these are the cases a stored file cannot show (a named pipe, an unreadable file) and what stays allowed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner

from deckbuilder.cli.main import main
from tests.support.decks import MINIMAL_DECK

PNG = bytes.fromhex("89504e470d0a1a0a")


def deck_with(front: str) -> str:
    return MINIMAL_DECK + textwrap.indent(f"- {{id: m, front: '{front}', back: A}}\n", "      ")


def project_showing(project: Path, image: str) -> Path:
    """cards/deck.yaml with a card showing img/<image>; returns where the image goes."""
    (project / "cards" / "img").mkdir(parents=True)
    (project / "cards" / "deck.yaml").write_text(deck_with(f"![x](img/{image})"))
    return project / "cards" / "img" / image


def test_named_pipe_as_media_is_refused_without_blocking(tmp_path):
    """Reading a FIFO with no writer blocks forever; the build must refuse it at once."""
    os.mkfifo(project_showing(tmp_path, "pipe.png"))
    result = subprocess.run([sys.executable, "-m", "deckbuilder", "build"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)  # the timeout only keeps a hang from stalling the suite
    assert (result.returncode, result.stderr) == (1, (
        "cards/deck.yaml:14:24: media file 'img/pipe.png' is a named pipe, not a regular file "
        "(media must be ordinary files)\n"
        "1 problem found; nothing was written.\n"))
    assert not (tmp_path / "build").exists()


def test_unreadable_media_is_a_problem_at_its_field(tmp_path, monkeypatch):
    """The tests run as root, which reads any file whatever its mode, so chmod cannot make one unreadable.
    The read is made to fail with the PermissionError a normal user would get; the rest is real."""
    from deckbuilder.source.files import open_regular as real_open

    project_showing(tmp_path, "secret.png").write_bytes(PNG)

    def open_as_other_user(path):
        if Path(path).name == "secret.png":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr("deckbuilder.compiler.media.open_regular", open_as_other_user)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert (result.exit_code, result.output) == (1, (
        "cards/deck.yaml:14:24: media file 'img/secret.png' cannot be read: Permission denied "
        "(check that the file is readable)\n"
        "1 problem found; nothing was written.\n"))
    assert not (tmp_path / "build").exists()


def test_links_and_paths_that_stay_inside_the_deck_folder_are_allowed(tmp_path, monkeypatch):
    """A part file in a subfolder may use '../img/…', and a link may point to another file in the deck."""
    (tmp_path / "cards" / "img").mkdir(parents=True)
    (tmp_path / "cards" / "img" / "real.png").write_bytes(PNG)
    (tmp_path / "cards" / "img" / "alias.png").symlink_to("real.png")
    (tmp_path / "cards" / "deck.yaml").write_text(deck_with("![a](img/alias.png)"))
    (tmp_path / "cards" / "more").mkdir()
    (tmp_path / "cards" / "more" / "part.yaml").write_text(
        "deck: demo\nsections:\n  - id: s01-intro\n    cards:\n"
        "      - {id: p, front: '![r](../img/real.png)', back: B}\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert (result.exit_code, result.output) == (0, "build/demo.apkg: Demo deck — 3 notes, 3 cards\n")


def test_a_missing_file_names_the_file_of_a_similar_name_that_is_there(tmp_path, monkeypatch):
    """A typo, another case or another folder: the hint names the file as the card would refer to it."""
    monkeypatch.chdir(tmp_path)
    image = project_showing(tmp_path, "diagram.png")
    image.write_bytes(PNG)
    (tmp_path / "cards" / "photos").mkdir()
    (tmp_path / "cards" / "photos" / "Heart.PNG").write_bytes(PNG)
    (tmp_path / "cards" / "img" / "chart.gif").write_bytes(b"GIF89a")
    for reference, hint in (("img/diagramm.png", "did you mean 'img/diagram.png'?"),
                            ("img/heart.png", "did you mean 'photos/Heart.PNG'?"),
                            ("img/diagram.jpg", "did you mean 'img/diagram.png'?"),
                            ("img/chart.svg", "did you mean 'img/chart.gif'?"),
                            ("img/cart.svg", "media paths are relative to the card file")):
        (tmp_path / "cards" / "deck.yaml").write_text(deck_with(f"![x]({reference})"))
        result = CliRunner().invoke(main, ["check"])
        assert (result.exit_code, result.output.splitlines()[0]) == (
            1, f"cards/deck.yaml:14:24: media file '{reference}' not found (looked for cards/{reference}; {hint})")
    lint = CliRunner().invoke(main, ["lint"])
    assert lint.output.splitlines()[0] == (
        "cards/deck.yaml:14:24: missing-media media file 'img/cart.svg' not found (looked for cards/img/cart.svg; "
        "media paths are relative to the card file)")
