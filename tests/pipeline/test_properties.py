"""Property tests (hypothesis): whatever a card file holds, the CLI answers without a traceback, and
whatever passes `check` builds a package that Anki's own importer takes, with Check Database clean.

Three sources of input: YAML documents of random shape, decks of random content that follow the card
format, and random edits of a valid deck (YAML's special characters, lines moved, bytes flipped).
"""

from __future__ import annotations

import re
import tempfile
from functools import lru_cache
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from deckbuilder.cli.main import main
from tests.support.anki import import_package
from tests.support.decks import MINIMAL_DECK

PROBLEM_LINE = re.compile(r"\S+\.yaml:\d+:\d+: \S.*\Z")
SUMMARY_LINE = re.compile(r"\d+ problems? found; nothing was written\.\Z")
# Explicit, so the run time is known: about 15 s for the three tests together on two cores. Deadlines are
# off because one example's time depends on the machine; speed is measured by the benchmarks in bench/.
PROPERTY_SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FORMAT_KEYS = ["deck", "key", "name", "source", "title", "description", "sections", "id", "number", "cards",
               "relationships", "type", "kind", "front", "back", "text", "extra", "tags", "subject", "relation",
               "object", "inverse", "why", "allow_scripts", "<<"]
# Characters that mean something to YAML, Markdown, HTML, cloze syntax or deckbuilder, and some that
# mean nothing but are hard to get right (a byte-order mark, Unicode line breaks, emoji).
SPECIAL = list(":-[]{}#&*!|>'\"%@`?,\\\t\n\r $<>/=_~^()") + ["{{c1::", "}}", "::", "---", "...", "\ufeff",
                                                              "\u2028", "é", "😀"]
# What deckbuilder must refuse: control characters (Anki separates fields with U+001F) and scripts.
HOSTILE = ["\x00", "\x07", "\x1b", "\x1f", "\x7f", "\x85", "\x9f", "<script>", "<img src=x onerror=alert(1)>"]


@lru_cache(maxsize=1)
def fresh_check_message() -> str:
    """What Check Database says on an untouched collection: the message a clean import must leave."""
    from anki.collection import Collection

    with tempfile.TemporaryDirectory() as folder:
        col = Collection(str(Path(folder) / "fresh.anki2"))
        try:
            return col.fix_integrity()[0]
        finally:
            col.close()


def answers_without_a_traceback(content: bytes) -> bool:
    """Check a card file with the CLI; if it passes, build it and import it into Anki. True if it passed."""
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "cards").mkdir()
        (project / "cards" / "deck.yaml").write_bytes(content)
        result = CliRunner().invoke(main, ["check", str(project / "cards")])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            *problems, summary = result.output.splitlines()
            assert problems and SUMMARY_LINE.match(summary), result.output
            assert all(PROBLEM_LINE.match(line) for line in problems), result.output
            return False
        built = CliRunner().invoke(main, ["build", str(project / "cards"), "-o", str(project / "build")])
        assert built.exit_code == 0, built.output
        assert_anki_imports_cleanly(project / "build", project)
        return True


def assert_anki_imports_cleanly(output: Path, project: Path) -> None:
    from anki.collection import Collection

    [package] = output.glob("*.apkg")
    col = Collection(str(project / "collection.anki2"))
    try:
        log = import_package(col, package)
        assert not log.conflicting and col.note_count() == len(log.new) > 0
        message, ok = col.fix_integrity()
        assert ok and message == fresh_check_message(), message
    finally:
        col.close()


# --- YAML documents of any shape -------------------------------------------------------------------

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
keys = st.sampled_from(FORMAT_KEYS) | st.text(max_size=8)
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
                         max_leaves=25)


@PROPERTY_SETTINGS
@given(document=documents, flow=st.booleans() | st.none(), width=st.sampled_from([20, 80, 10_000]))
def test_yaml_of_any_shape_gets_an_answer(document, flow, width):
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True, sort_keys=False, width=width)
    event("passed check" if answers_without_a_traceback(text.encode()) else "refused")


# --- decks that follow the card format, with random content ---------------------------------------

# Text an author could mean: any character but control characters (they are refused, see HOSTILE).
texts = st.lists(st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from(SPECIAL), min_size=1,
                 max_size=15).map("".join)
card_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,6}", fullmatch=True)
tags = st.lists(st.text(st.characters(exclude_categories=["Cs", "Cc", "Zs", "Zl", "Zp"], exclude_characters='"'),
                        min_size=1, max_size=10), max_size=3)


@st.composite
def cards(draw, card_id: str) -> dict:
    kind = draw(st.sampled_from(["basic", "reversed", "type-in", "cloze", "relationship"]))
    if kind == "relationship":
        card = {"id": card_id, "subject": draw(texts), "relation": draw(texts), "object": draw(texts)}
    elif kind == "cloze":
        number = draw(st.integers(1, 3))
        card = {"id": card_id, "type": "cloze",
                "text": f"{draw(texts)} {{{{c{number}::{draw(texts)}}}}} {draw(texts)}"}
    else:
        card = {"id": card_id, "type": kind, "front": draw(texts), "back": draw(texts)}
    for optional in draw(st.sets(st.sampled_from(["extra", "tags", "inverse", "why"]))):
        if optional == "tags":
            card["tags"] = draw(tags)
        elif optional == "extra" or kind == "relationship":
            card[optional] = draw(texts)
    return card


@st.composite
def decks(draw) -> dict:
    ids = draw(st.lists(card_ids, min_size=1, max_size=6, unique=True))
    entries = [draw(cards(card_id)) for card_id in ids]
    section = {"id": "s01", "title": draw(texts),
               "cards": [entry for entry in entries if "subject" not in entry],
               "relationships": [entry for entry in entries if "subject" in entry]}
    header = {"key": "prop", "name": draw(texts), "source": {"title": draw(texts)}}
    if draw(st.booleans()):
        header["description"] = draw(texts)
    return {"deck": header, "sections": [section]}


@PROPERTY_SETTINGS
@given(deck=decks(), flow=st.booleans() | st.none())
def test_decks_with_random_content_get_an_answer_and_import_cleanly(deck, flow):
    text = yaml.safe_dump(deck, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    event("passed check" if answers_without_a_traceback(text.encode()) else "refused")


# --- random edits of a valid deck ------------------------------------------------------------------

# The minimal deck with a description, a source URL, every card type, and a second section.
VALID_DECK = MINIMAL_DECK.replace(
    "  source:\n    title: A demo article\n",
    "  description: A *small* deck with $x^2$ math.\n"
    "  source: {title: A demo article, url: \"https://example.org/a\"}\n",
) + """\
        tags: [numbers, demo::basics]
      - {id: both-ways, type: reversed, front: MGP, back: Matrix Gla Protein, extra: A protein.}
      - id: sun
        type: cloze
        text: "The {{c1::sun}} is a {{c2::star::what?}}"
      - {id: typed, type: type-in, front: Six times seven, back: "42"}
    relationships:
      - {id: k2-mgp, subject: Vitamin K2, relation: activates, object: MGP, inverse: is activated by}
  - id: s02-more
    title: More
    cards:
      - id: quote
        front: |
          A block of text
          over two lines
        back: '<b>bold</b> and a [link](https://example.org)'
"""


@st.composite
def edited_decks(draw) -> bytes:
    """The valid deck with one to three random edits, and sometimes a flipped byte."""
    text = VALID_DECK
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        edit = draw(st.sampled_from(["insert", "delete", "duplicate", "swap", "indent", "replace"]))
        at = draw(st.integers(0, len(text)))
        line = draw(st.integers(0, len(lines) - 1))
        if edit == "insert":
            inserted = draw(st.lists(st.sampled_from(SPECIAL + HOSTILE) | texts, max_size=3))
            text = text[:at] + "".join(inserted) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 12)):]
        elif edit == "duplicate":
            text = "\n".join(lines[: line + 1] + lines[line:])
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[line], lines[other] = lines[other], lines[line]
            text = "\n".join(lines)
        elif edit == "indent":
            lines[line] = " " * draw(st.integers(0, 3)) + lines[line].lstrip(" ")
            text = "\n".join(lines)
        else:
            head = lines[line].split(": ", 1)[0]
            lines[line] = f"{head}: {draw(texts | st.sampled_from(SPECIAL))}"
            text = "\n".join(lines)
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    return data


@PROPERTY_SETTINGS
@given(content=edited_decks())
def test_edited_valid_decks_get_an_answer_and_import_cleanly(content):
    event("passed check" if answers_without_a_traceback(content) else "refused")
