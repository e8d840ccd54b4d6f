"""`deckbuilder preview`: the page and media it writes, and what the page holds (the browser tests load it)."""

from __future__ import annotations

import json
import re

import click
import pytest
from click.testing import CliRunner

from deckbuilder.pipeline.build import compile_decks
from deckbuilder.cli.main import main
from deckbuilder.authoring.preview import page_data, page_html
from tests.support.decks import (ARTICLE_DECK, BROKEN_CARD, EVERY_TYPE_CARDS, MINIMAL_DECK, PART_FILE,
                                 write_every_type_deck)
from tests.support.cli import run


def deck_data(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="deck-data">(.*?)</script>', page, re.DOTALL)[1])


def test_preview_writes_a_page_per_deck_and_nothing_else(minimal_project):
    result = run("preview")
    assert (result.exit_code, result.output) == (0, "build/demo.preview.html: Demo deck — 1 note, 1 card\n")
    assert sorted(path.name for path in (minimal_project / "build").iterdir()) == ["demo.preview.html"]
    page = (minimal_project / "build" / "demo.preview.html").read_text(encoding="utf-8")
    assert "<title>Demo deck — deckbuilder preview</title>" in page
    [section] = deck_data(page)["sections"]
    assert [card["front"] for card in section["cards"]] == [
        '<div class="db">\n\n<div class="db-question">What is first?</div>\n</div>']


def test_preview_of_the_article_deck(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("preview", str(ARTICLE_DECK), "-o", "out")
    assert result.exit_code == 0, result.output
    assert result.output == ("out/k2-calcification.preview.html: Health::Why K2 alone can't fix calcium buildup"
                             " — 76 notes, 117 cards\n")
    data = deck_data((tmp_path / "out" / "k2-calcification.preview.html").read_text(encoding="utf-8"))
    assert len(data["sections"]) == 13
    assert sum(len(section["cards"]) for section in data["sections"]) == 117
    assert data["sections"][1]["title"] == "§1 Tissue Calcification: The Silent Intruder"


@pytest.mark.parametrize("flags, launches", [(["--open"], ["build/demo.preview.html"]), ([], [])])
def test_open_launches_the_page(minimal_project, monkeypatch, flags, launches):
    launched = []
    monkeypatch.setattr(click, "launch", lambda url, **options: launched.append(url))
    result = run("preview", *flags)
    assert (result.exit_code, result.output) == (0, "build/demo.preview.html: Demo deck — 1 note, 1 card\n")
    assert launched == launches


def test_problems_are_listed_and_no_page_is_written(minimal_project):
    (minimal_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK + BROKEN_CARD)
    result = run("preview", "--open")
    assert result.exit_code == 1
    assert result.output == ("cards/demo.yaml:14:9: 'back' is required (basic card needs a back: the answer)\n"
                             "1 problem found; nothing was written.\n")
    assert not (minimal_project / "build").exists()


def test_a_page_that_cannot_be_written_is_reported(minimal_project):
    (minimal_project / "build" / "demo.preview.html").mkdir(parents=True)
    result = run("preview")
    assert result.exit_code == 1
    assert result.output == "Error: cannot write build/demo.preview.html: Is a directory\n"


PREVIEW_HELP = """\
Usage: deckbuilder preview [OPTIONS] [PATHS]...

  Write a page per deck showing every card, front and back, as Anki shows it.

  The page (DIR/<deck key>.preview.html) has a search box, a phone and a desktop
  width and a night-mode switch. Nothing is written if any card file has a
  problem.

  Example:
      deckbuilder preview --open
      deckbuilder preview cards/k2-calcification.yaml -o dist

Options:
  -o, --output DIRECTORY  Folder to write the pages into.  [default: build, or
                          [tool.deckbuilder] build]
  --open                  Open the page in the default browser.
  -h, --help              Show this message and exit.
"""


def test_help(minimal_project):
    for flag in ("--help", "-h"):
        result = CliRunner().invoke(main, ["preview", flag], prog_name="deckbuilder", terminal_width=80)
        assert (result.exit_code, result.output) == (0, PREVIEW_HELP)


def test_every_card_is_on_the_page_grouped_by_section(tmp_path):
    [deck] = compile_decks([write_every_type_deck(tmp_path / "cards")])
    data = page_data(deck)
    assert [(section["id"], section["title"]) for section in data["sections"]] == [
        ("s01-basics", "§1 Basics &amp; &lt;friends&gt;"), ("s02-clozes", "Cloze deletions")]
    cards = [(card["note"], card["card"]) for section in data["sections"] for card in section["cards"]]
    assert cards == [
        ("basic-markdown", "Card 1"), ("reversed", "Card 1"), ("reversed", "Card 2"), ("type-in", "Card 1"),
        ("sound", "Card 1"), ("cloze-hints", "Cloze 1"), ("cloze-hints", "Cloze 2"), ("cloze-nested", "Cloze 1"),
        ("cloze-nested", "Cloze 2"), ("cloze-nested", "Cloze 3"), ("with-inverse", "Forward"),
        ("with-inverse", "Reverse"), ("without-inverse", "Forward"), ("without-inverse", "Reverse")]
    assert len(cards) == EVERY_TYPE_CARDS == deck.card_count


def test_the_reviewer_parts_are_filled_in(tmp_path):
    [deck] = compile_decks([write_every_type_deck(tmp_path / "cards")])
    cards = {(card["note"], card["ord"]): card for section in page_data(deck)["sections"] for card in section["cards"]}
    type_in, sound = cards["type-in", 0], cards["sound", 0]
    assert '<input type="text" id="typeans" placeholder="type the answer" aria-label="type the answer">' \
        in type_in["front"]
    assert '<div class="db-answer"><code id="typeans">constructor &amp; &lt;more&gt;</code></div>' in type_in["back"]
    sound_name = next(file.name for file in deck.media if file.path and file.path.name == "note.mp3")
    assert f'What do you hear? <audio controls preload="none" src="{sound_name}"></audio>' in sound["front"]
    assert "[[type:" not in json.dumps(list(cards.values())) and "[anki:play" not in json.dumps(list(cards.values()))


def test_media_are_copied_beside_the_page_and_stale_ones_removed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write_every_type_deck(tmp_path / "cards")
    assert run("preview", str(path)).exit_code == 0
    media = tmp_path / "build" / "every-type.media"
    [image] = media.glob("dot-*.png")
    assert image.read_bytes() == (tmp_path / "cards" / "img" / "dot.png").read_bytes()
    assert '<base href="every-type.media/">' in (tmp_path / "build" / "every-type.preview.html").read_text()

    (tmp_path / "cards" / "img" / "dot.png").write_bytes(image.read_bytes() + b"changed")
    assert run("preview", str(path)).exit_code == 0
    [new_image] = media.glob("dot-*.png")
    assert new_image.name != image.name and not image.exists()
    maps = sorted(file.name.rsplit("-", 1)[0] for file in media.glob("every-type.map.*"))
    assert maps == ["every-type.map.s02-clozes", *["every-type.map.s02-clozes.mark"] * 2], "a map, 2 markings"
    assert len(list(media.iterdir())) == 2 + 3, "the image, the sound and the map, nothing else"


def test_no_card_text_can_end_the_pages_script(minimal_project):
    # A deck must opt in to scripts in its cards at all (see test_activecontent.py); this one does.
    (minimal_project / "cards" / "demo.yaml").write_text(
        MINIMAL_DECK.replace("  source:", "  allow_scripts: true\n  source:")
        + "      - {id: sneaky, front: '</script><script>alert(1)</script> <!-- x -->', back: B}\n")
    assert run("preview").exit_code == 0
    page = (minimal_project / "build" / "demo.preview.html").read_text(encoding="utf-8")
    assert page.count("</script>") == 2  # the data block's and the page script's own
    assert "<!--" not in page.split('id="deck-data">')[1]
    cards = deck_data(page)["sections"][0]["cards"]
    assert "</script><script>alert(1)</script> <!-- x -->" in cards[1]["front"]


def test_page_is_built_from_the_deck_only(tmp_path):
    # Same deck, same page: nothing about the machine or the time goes into it.
    [deck] = compile_decks([write_every_type_deck(tmp_path / "cards")])
    assert page_html(deck) == page_html(compile_decks([tmp_path / "cards"])[0])


def test_a_deck_over_two_files_is_one_page_in_article_order(write_file, tmp_path):
    write_file("cards/main.yaml", MINIMAL_DECK)
    write_file("cards/a-more.yaml", PART_FILE)
    [deck] = compile_decks([tmp_path / "cards"])
    data = page_data(deck)
    assert [(section["title"], [card["note"] for card in section["cards"]]) for section in data["sections"]] == [
        ("§1 Intro", ["first", "continued"]), ("§2 More", ["second"])]
