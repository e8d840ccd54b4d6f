"""Integration tests: packages built by deckbuilder, imported by Anki's own importer into a real collection.

Every test builds a package with deckbuilder, imports it with the official `anki` package (the Rust
importer desktop Anki and AnkiDroid use) into a fresh collection, and checks what a user would notice:
which notes, cards, decks, tags and media arrive, and what Anki shows on the front and back of a card.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import genanki
import yaml
from click.testing import CliRunner

from deckbuilder.pipeline.build import Written, build
from deckbuilder.cli.main import main
from tests.support.anki import import_package
from tests.support.decks import ARTICLE_DECK, MINIMAL_DECK, PART_FILE, output_files, tiny_png

ARTICLE = yaml.safe_load(ARTICLE_DECK.read_text(encoding="utf-8"))
ARTICLE_KEY = ARTICLE["deck"]["key"]
ARTICLE_NAME = ARTICLE["deck"]["name"]
ARTICLE_TITLE = ARTICLE["deck"]["source"]["title"]

# {{c1::answer}} or {{c1::answer::hint}}, as the shipped cards write them (no nesting).
CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}")


# --- helpers ---------------------------------------------------------------------------------------


def build_one(paths: list[Path], output: Path) -> Written:
    """Build with deckbuilder's Python API; the paths must make exactly one package."""
    written = build(paths, output)
    assert len(written) == 1, f"expected one package, got {[w.path.name for w in written]}"
    assert written[0].path.is_file(), f"package {written[0].path} was not written"
    return written[0]


def build_and_import(col, paths: list[Path], tmp_path: Path):
    """Build the one package the paths make and import it into `col`; returns (written, import log)."""
    written = build_one(paths, tmp_path / "out")
    return written, import_package(col, written.path)


def article(tmp_path: Path) -> Path:
    """The shipped deck's card file alone, built as for its first learners: without the lock file, whose
    retired notes (cards the deck once had) are no entries of the YAML."""
    copy = tmp_path / "article" / ARTICLE_DECK.name
    copy.parent.mkdir()
    copy.write_bytes(ARTICLE_DECK.read_bytes())
    return copy


def visible(rendered: str) -> str:
    """The text a learner sees in a rendered card: no <style>, no tags or attributes, entities decoded."""
    text = re.sub(r"<style>.*?</style>", " ", rendered, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def notes_by_id(col, deck_key: str, card_ids: list[str]) -> dict:
    """card id (from the YAML) → Anki note, found through the GUID deckbuilder derives from the id."""
    nid_by_guid = dict(col.db.all("select guid, id from notes"))
    guids = {card_id: genanki.guid_for(deck_key, card_id) for card_id in card_ids}
    return {card_id: col.get_note(nid_by_guid[guid]) for card_id, guid in guids.items() if guid in nid_by_guid}


def note_for(col, deck_key: str, card_id: str):
    """The Anki note made from the card `card_id` of deck `deck_key`."""
    nid = col.db.scalar("select id from notes where guid = ?", genanki.guid_for(deck_key, card_id))
    assert nid, f"no note in the collection for card '{card_id}' of deck '{deck_key}'"
    return col.get_note(nid)


def cards_of(note) -> list:
    """A note's cards in template / cloze-number order."""
    return sorted(note.cards(), key=lambda card: card.ord)


def yaml_entries(data: dict):
    """(section, card-or-relationship, type) in the order the YAML lists them; a group as the notes it makes:
    its set as a cloze, a basic card per member, and one asking its shared side."""
    for section in data["sections"]:
        for card in section.get("cards") or ():
            yield section, card, card.get("type", "basic")
        for relationship in section.get("relationships") or ():
            yield section, relationship, "relationship"
        for group in section.get("groups") or ():
            numbers = {member["id"]: f"{{{{c{member['n']}::{member['answer']}}}}}" for member in group["members"]}
            yield section, {"id": f"{group['id']}.set", "text": re.sub(
                r"\{([\w-]+)\}", lambda match: numbers[match.group(1)], group["set"])}, "cloze"
            for member in group["members"]:
                yield section, {"id": f"{group['id']}.{member['id']}"}, "basic"
            if "common" in group:
                yield section, {"id": f"{group['id']}.common"}, "basic"


def yaml_ids(data: dict) -> list[str]:
    return [entry["id"] for _, entry, _ in yaml_entries(data)]


def expected_cards(entry: dict, card_type: str) -> int:
    """Cards Anki should make for one YAML entry, counted from the YAML alone."""
    if card_type == "cloze":
        return len({number for number, _, _ in CLOZE.findall(entry["text"])})
    return {"basic": 1, "type-in": 1, "reversed": 2, "relationship": 2}[card_type]


def deck_cards(col, deck_name: str) -> set[int]:
    return set(col.find_cards(f'"deck:{deck_name}" -"deck:{deck_name}::*"'))


# --- 1. the shipped article deck -------------------------------------------------------------------


def test_article_deck_imports_as_new_notes_matching_the_yaml(collection, tmp_path):
    written, log = build_and_import(collection, [article(tmp_path)], tmp_path)
    col = collection
    entries = list(yaml_entries(ARTICLE))

    # The import log: a first import makes new notes only.
    assert len(log.new) == len(entries), f"log.new has {len(log.new)} notes, the YAML {len(entries)} entries"
    assert not log.duplicate, f"{len(log.duplicate)} notes logged as duplicates on a first import"
    assert not log.conflicting, f"{len(log.conflicting)} notes logged as conflicting on a first import"
    assert not log.updated, f"{len(log.updated)} notes logged as updated on a first import"

    # Counts: Anki, deckbuilder's report and an independent count from the YAML agree.
    yaml_notes = len(entries)
    yaml_cards = sum(expected_cards(entry, card_type) for _, entry, card_type in entries)
    assert col.note_count() == len(written.deck.notes) == yaml_notes, (
        f"notes: Anki {col.note_count()}, deckbuilder {len(written.deck.notes)}, YAML {yaml_notes}")
    assert col.card_count() == written.deck.card_count == yaml_cards, (
        f"cards: Anki {col.card_count()}, deckbuilder {written.deck.card_count}, YAML {yaml_cards}")

    # The deck, named as in the YAML, holds every card.
    assert ARTICLE_NAME == "Health::Why K2 alone can't fix calcium buildup"
    did = col.decks.id_for_name(ARTICLE_NAME)
    assert did, f"deck '{ARTICLE_NAME}' not in {[d.name for d in col.decks.all_names_and_ids()]}"
    outside = col.db.list("select id from cards where did != ?", did)
    assert not outside, f"{len(outside)} cards are not in deck '{ARTICLE_NAME}'"
    assert "vitamin K2 on its own" in col.decks.get(did)["desc"], "deck description missing from the overview"

    # Tags: one section tag and one kind tag per note; every section used; the takeaways marked.
    notes = notes_by_id(col, ARTICLE_KEY, yaml_ids(ARTICLE))
    assert set(notes) == set(yaml_ids(ARTICLE)), (
        f"cards without a note of the expected GUID: {sorted(set(yaml_ids(ARTICLE)) - set(notes))}")
    kind_prefix = f"{ARTICLE_KEY}::kind::"
    for card_id, note in notes.items():
        kinds = [tag for tag in note.tags if tag.startswith(kind_prefix)]
        groups = [tag for tag in note.tags if tag.startswith(f"{ARTICLE_KEY}::group::")]
        sections = [tag for tag in note.tags if tag.startswith(f"{ARTICLE_KEY}::") and tag not in kinds + groups]
        assert groups == ([f"{ARTICLE_KEY}::group::{card_id.split('.')[0]}"] if "." in card_id else [])
        assert len(kinds) == 1, f"note '{card_id}' has kind tags {kinds}, expected exactly one"
        assert len(sections) == 1, f"note '{card_id}' has section tags {sections}, expected exactly one"
    section_ids = [section["id"] for section in ARTICLE["sections"]]
    assert len(section_ids) == 13
    all_tags = {tag for note in notes.values() for tag in note.tags}
    for section_id in section_ids:
        assert f"{ARTICLE_KEY}::{section_id}" in all_tags, f"no note tagged with section '{section_id}'"
    for section, entry, _ in entries:
        assert f"{ARTICLE_KEY}::{section['id']}" in notes[entry["id"]].tags, (
            f"note '{entry['id']}' lacks the tag of its section '{section['id']}': {notes[entry['id']].tags}")
    takeaways = [entry["id"] for section, entry, _ in entries if section["id"] == "key-takeaways"]
    assert len(takeaways) == 3
    for card_id in takeaways:
        assert f"{ARTICLE_KEY}::kind::takeaway" in notes[card_id].tags, f"takeaway '{card_id}': {notes[card_id].tags}"
    assert len(col.find_notes(f'"tag:{ARTICLE_KEY}::kind::takeaway"')) == 3

    # GUIDs come from the deck key and the card id only.
    for card_id, note in notes.items():
        assert note.guid == genanki.guid_for(ARTICLE_KEY, card_id), f"note '{card_id}' has GUID {note.guid!r}"

    # New cards are due in article order: sorting by due gives the YAML order of ids.
    due_of = {}
    for card_id, note in notes.items():
        dues = {card.due for card in note.cards()}
        assert len(dues) == 1, f"the cards of note '{card_id}' have different due values {dues}"
        due_of[card_id] = dues.pop()
    assert len(set(due_of.values())) == len(due_of), "two notes share a due position"
    assert sorted(due_of, key=due_of.get) == yaml_ids(ARTICLE), "new cards are not due in YAML order"
    new_cards = col.db.scalar("select count() from cards where type = 0 and queue = 0")
    assert new_cards == col.card_count(), "every imported card should be a new card in the new queue"

    # Anki's database check and empty-cards report find nothing to fix.
    fresh_message = fresh_check_message(tmp_path)
    message, ok = col.fix_integrity()
    assert ok and message == fresh_message, f"Check Database reported: {message!r}"
    assert (col.note_count(), col.card_count()) == (yaml_notes, yaml_cards), "Check Database changed the counts"
    empty = col.get_empty_cards()
    assert not empty.notes, f"Empty Cards would delete cards of notes {[n.note_id for n in empty.notes]}"


def fresh_check_message(tmp_path: Path) -> str:
    """What Check Database says on an untouched new collection."""
    from anki.collection import Collection

    col = Collection(str(tmp_path / "untouched.anki2"))
    try:
        message, ok = col.fix_integrity()
        assert ok
        return message
    finally:
        col.close()


# --- 2. what Anki shows ----------------------------------------------------------------------------


def test_cloze_cards_hide_their_own_deletion_and_show_it_on_the_back(collection, tmp_path):
    build_and_import(collection, [article(tmp_path)], tmp_path)
    clozes = [entry for _, entry, card_type in yaml_entries(ARTICLE) if card_type == "cloze"]
    assert clozes, "the shipped deck has cloze cards"
    for entry in clozes:
        deletions = {int(number): (answer, hint) for number, answer, hint in CLOZE.findall(entry["text"])}
        cards = cards_of(note_for(collection, ARTICLE_KEY, entry["id"]))
        assert [card.ord + 1 for card in cards] == sorted(deletions), (
            f"cloze '{entry['id']}': cards for c{[c.ord + 1 for c in cards]}, deletions c{sorted(deletions)}")
        for card in cards:
            answer, hint = deletions[card.ord + 1]
            question, back = visible(card.question()), visible(card.answer())
            blank = f"[{hint}]" if hint else "[...]"
            assert blank in question, f"'{entry['id']}' c{card.ord + 1}: no {blank} in question {question!r}"
            assert answer not in question, f"'{entry['id']}' c{card.ord + 1} gives its answer away: {question!r}"
            assert answer in back, f"'{entry['id']}' c{card.ord + 1}: answer {answer!r} not on the back {back!r}"

    steps = cards_of(note_for(collection, ARTICLE_KEY, "calcium-handling-steps"))
    assert "must [step 1] , absorb it across the gut wall" in visible(steps[0].question())


def test_reversed_note_asks_both_ways(collection, tmp_path):
    build_and_import(collection, [article(tmp_path)], tmp_path)
    forward, reverse = cards_of(note_for(collection, ARTICLE_KEY, "mgp-abbreviation"))
    assert visible(forward.question()) == "MGP"
    assert "Matrix Gla Protein" in visible(forward.answer())
    assert visible(reverse.question()) == "Matrix Gla Protein", "card 2 should ask the back text"
    back = visible(reverse.answer())
    assert back.startswith("Matrix Gla Protein MGP"), f"card 2's answer should be the front text: {back!r}"
    assert "A protein vitamin K2 activates" in back, "the extra text is shown on card 2's back too"


def test_relationship_notes_ask_forward_and_reverse(collection, tmp_path):
    build_and_import(collection, [article(tmp_path)], tmp_path)
    relationships = [entry for _, entry, card_type in yaml_entries(ARTICLE) if card_type == "relationship"]
    assert relationships
    for rel in relationships:
        forward, reverse = cards_of(note_for(collection, ARTICLE_KEY, rel["id"]))
        subject, relation, obj, inverse = rel["subject"], rel["relation"], rel["object"], rel["inverse"]
        obj = obj[:1].upper() + obj[1:]  # it starts the reverse question (the article's objects start in lower case)
        ask = visible(forward.question())
        assert ask == f"{subject} {relation} …?", f"'{rel['id']}' forward question: {ask!r}"
        assert obj not in ask
        assert obj in visible(forward.answer()), f"'{rel['id']}' forward answer lacks {obj!r}"
        ask = visible(reverse.question())
        assert ask == f"{obj} {inverse} …?", f"'{rel['id']}' reverse question: {ask!r}"
        assert subject not in ask
        assert subject in visible(reverse.answer()), f"'{rel['id']}' reverse answer lacks {subject!r}"
        if rel.get("why"):
            for card in (forward, reverse):
                assert rel["why"] in visible(card.answer()), f"'{rel['id']}': the why is not on the back"


def test_every_back_names_its_section_and_the_article(collection, tmp_path):
    build_and_import(collection, [article(tmp_path)], tmp_path)
    checked = 0
    for section, entry, _ in yaml_entries(ARTICLE):
        for card in cards_of(note_for(collection, ARTICLE_KEY, entry["id"])):
            back = visible(card.answer())
            assert section["title"] in back, f"'{entry['id']}' card {card.ord + 1}: no section title in {back!r}"
            assert ARTICLE_TITLE in back, f"'{entry['id']}' card {card.ord + 1}: no article title in {back!r}"
            question = visible(card.question())
            assert ARTICLE_TITLE not in question, f"'{entry['id']}': the source belongs on the back only"
            checked += 1
    assert checked == collection.card_count()


def test_type_in_card_leaves_the_answer_box_to_the_reviewer(collection, tmp_path):
    """Anki's backend leaves {{type:Back}} as [[type:Back]]; the reviewer puts the box and comparison there."""
    build_and_import(collection, [article(tmp_path)], tmp_path)
    entry = next(entry for _, entry, card_type in yaml_entries(ARTICLE) if card_type == "type-in")
    note = note_for(collection, ARTICLE_KEY, entry["id"])
    (card,) = cards_of(note)
    assert note["Back"] == entry["back"], "the expected typed answer is the plain Back field"
    assert "[[type:Back]]" in card.question()
    assert "[[type:Back]]" in card.answer()


def typed_answer_is_right(col, expected_field: str, typed: str) -> bool:
    """Anki's own check of a typed answer, as the reviewer runs it against the note's field."""
    comparison = col.compare_answer(expected_field, typed)
    return "typeGood" in comparison and "typeBad" not in comparison and "typeMissed" not in comparison


def test_typing_the_authored_answer_of_the_article_deck_is_judged_right(collection, tmp_path):
    build_and_import(collection, [article(tmp_path)], tmp_path)
    type_ins = [entry for _, entry, card_type in yaml_entries(ARTICLE) if card_type == "type-in"]
    assert type_ins
    for entry in type_ins:
        note = note_for(collection, ARTICLE_KEY, entry["id"])
        assert typed_answer_is_right(collection, note["Back"], entry["back"]), (
            f"'{entry['id']}': typing {entry['back']!r} is judged wrong: "
            f"{collection.compare_answer(note['Back'], entry['back'])}")


def test_typing_an_answer_that_looks_like_markdown_is_judged_right(collection, tmp_path, write_file):
    """The format calls a type-in back 'the exact answer the learner types: short plain text'."""
    path = write_file("cards/typed.yaml", """
        deck:
          key: typed
          name: Typed deck
          source:
            title: Typed article
        sections:
          - id: s01-typed
            title: Typing
            cards:
              - id: python-constructor
                type: type-in
                front: Which method initialises a new Python object?
                back: "__init__"
              - id: war
                type: type-in
                front: "Which war ended in 1945 (German: …)?"
                back: "2. Weltkrieg"
        """)
    build_and_import(collection, [path], tmp_path)
    judged_wrong = {}
    for card_id, answer in (("python-constructor", "__init__"), ("war", "2. Weltkrieg")):
        expected = note_for(collection, "typed", card_id)["Back"]
        if not typed_answer_is_right(collection, expected, answer):
            judged_wrong[answer] = expected
    assert not judged_wrong, (
        "the learner types exactly the authored answer and Anki marks it wrong, because the Back field "
        f"holds Markdown-rendered HTML instead (typed → expected): {judged_wrong}")


def test_markdown_is_rendered_as_html_and_math_is_left_for_mathjax(collection, tmp_path, write_file):
    path = write_file("cards/markdown.yaml", r"""
        deck:
          key: md
          name: Markdown deck
          source:
            title: Markdown article
        sections:
          - id: s01-md
            title: Formatting
            cards:
              - id: md-basic
                front: "Which word is **bold**, and what is $x^2$ when x is 3?"
                back: |
                  Three things:

                  - first item
                  - second item

                  $$
                  x^2 = 9
                  $$

                  \[ a^2 + b^2 = c^2 \]

                  It costs $5 and $10.
        """)
    build_and_import(collection, [path], tmp_path)
    (card,) = cards_of(note_for(collection, "md", "md-basic"))
    question, answer = card.question(), card.answer()
    assert "<strong>bold</strong>" in question, f"**bold** not rendered: {question[-300:]!r}"
    assert r"\(x^2\)" in question, f"inline math not kept for MathJax: {question[-300:]!r}"
    assert "$x^2$" not in question
    assert re.search(r"<ul>\s*<li>first item</li>\s*<li>second item</li>\s*</ul>", answer), answer[-600:]
    assert re.search(r"\\\[\s*x\^2 = 9\s*\\\]", answer), f"$$ display math not kept as \\[…\\]: {answer[-600:]!r}"
    assert r"\[ a^2 + b^2 = c^2 \]" in answer or r"\[a^2 + b^2 = c^2\]" in answer, answer[-600:]
    assert "It costs $5 and $10." in visible(answer), "dollar amounts must stay text, not math"


# --- 3. media ----------------------------------------------------------------------------------------


def test_media_files_arrive_under_the_names_the_fields_use(collection, tmp_path, write_file):
    path = write_file("cards/media.yaml", """
        deck:
          key: media
          name: Media deck
          source:
            title: Media article
        sections:
          - id: s01-media
            title: Pictures and sound
            cards:
              - id: diagram
                front: "What does the diagram show? ![diagram](img/diagram.png)"
                back: "A dot [sound:audio/note.mp3]"
        """)
    png, mp3 = tiny_png(), b"ID3\x03\x00\x00\x00\x00\x00\x00not really audio"
    (path.parent / "img").mkdir()
    (path.parent / "img" / "diagram.png").write_bytes(png)
    (path.parent / "audio").mkdir()
    (path.parent / "audio" / "note.mp3").write_bytes(mp3)

    build_and_import(collection, [path], tmp_path)
    note = note_for(collection, "media", "diagram")
    images = re.findall(r'<img[^>]*\bsrc="([^"]+)"', note["Front"])
    sounds = re.findall(r"\[sound:([^\]]+)\]", note["Back"])
    assert len(images) == 1 and len(sounds) == 1, f"fields: {note['Front']!r} / {note['Back']!r}"
    media_dir = Path(collection.media.dir())
    for name, content in ((images[0], png), (sounds[0], mp3)):
        assert "/" not in name and "\\" not in name, f"field references a folder: {name!r}"
        assert (media_dir / name).is_file(), f"{name} not in the media folder: {sorted(p.name for p in media_dir.iterdir())}"
        assert (media_dir / name).read_bytes() == content, f"{name} arrived with other content"
    assert images[0].startswith("diagram") and images[0].endswith(".png")
    assert sounds[0].startswith("note") and sounds[0].endswith(".mp3")

    check = collection.media.check()
    assert not check.missing and not check.unused, f"Check Media: {check.report}"
    (card,) = cards_of(note)
    assert f'src="{images[0]}"' in card.question(), "the image is shown on the front"
    assert [tag.filename for tag in card.answer_av_tags()] == [sounds[0]], "the sound plays on the back"


# --- 4. a deck that spans files --------------------------------------------------------------------


def test_deck_spanning_two_files_becomes_one_deck_in_article_order(collection, tmp_path, write_file):
    # The continuation file sorts before the main file by name: the header file must still lead.
    write_file("cards/main.yaml", MINIMAL_DECK + "      - {id: intro-b, front: What is intro b?, back: B}\n")
    write_file("cards/a-more.yaml", PART_FILE)
    written, log = build_and_import(collection, [tmp_path / "cards"], tmp_path)
    assert written.path.name == "demo.apkg"
    assert output_files(written.path.parent) == ["demo.apkg"], "one package for the deck"
    assert len(log.new) == 4 and collection.note_count() == 4

    did = collection.decks.id_for_name("Demo deck")
    assert did and set(collection.find_cards("")) == deck_cards(collection, "Demo deck"), "all cards in one deck"

    continued = note_for(collection, "demo", "continued")
    assert "demo::s01-intro" in continued.tags, f"continuation tagged {continued.tags}"
    assert "§1 Intro" in visible(cards_of(continued)[0].answer())
    assert "demo::s02-more" in note_for(collection, "demo", "second").tags

    due = {card_id: cards_of(note_for(collection, "demo", card_id))[0].due
           for card_id in ("first", "intro-b", "continued", "second")}
    assert sorted(due, key=due.get) == ["first", "intro-b", "continued", "second"], (
        f"due order {due}: sections in header-file order, continued cards after the section's own")


# --- 5. every note type -----------------------------------------------------------------------------

ALL_TYPES_DECK = """\
deck:
  key: types
  name: Types deck
  source:
    title: Types article
sections:
  - id: s01-types
    title: Every type
    cards:
      - id: t-basic
        front: Basic question?
        back: Basic answer
      - id: t-reversed
        type: reversed
        front: Reversed front
        back: Reversed back
      - id: t-cloze
        type: cloze
        text: "One {{c1::alpha}}, two {{c2::beta}}, three {{c3::gamma}} and {{c1::delta}}."
      - id: t-type-in
        type: type-in
        front: Type the word?
        back: word
    relationships:
      - id: t-relationship
        subject: Water
        relation: dissolves
        object: table salt
"""


def test_every_card_type_gets_its_note_type_and_card_count(collection, tmp_path, write_file):
    path = write_file("cards/types.yaml", ALL_TYPES_DECK)
    written, log = build_and_import(collection, [path], tmp_path)
    expected = {
        "t-basic": ("deckbuilder Basic", 1),
        "t-reversed": ("deckbuilder Basic (and reversed card)", 2),
        "t-cloze": ("deckbuilder Cloze", 3),
        "t-type-in": ("deckbuilder Type-in answer", 1),
        "t-relationship": ("deckbuilder Relationship", 2),
    }
    assert len(log.new) == 5 and collection.card_count() == written.deck.card_count == 9
    for card_id, (type_name, count) in expected.items():
        note = note_for(collection, "types", card_id)
        assert note.note_type()["name"] == type_name, f"'{card_id}' is a {note.note_type()['name']!r}"
        assert len(note.cards()) == count, f"'{card_id}' has {len(note.cards())} cards, expected {count}"
    names = sorted(model.name for model in collection.models.all_names_and_ids())
    assert not [name for name in names if name.endswith("+")], f"note type copies were made: {names}"

    forward, reverse = cards_of(note_for(collection, "types", "t-relationship"))
    assert visible(forward.question()) == "Water dissolves …?"
    assert "table salt" in visible(forward.answer())
    assert visible(reverse.question()) == "… dissolves table salt?", "without inverse: '… relation object?'"
    assert "Water" in visible(reverse.answer())
    assert "Why" not in visible(reverse.answer()), "no why given, so no why line"


# --- 6. re-import --------------------------------------------------------------------------------------


def test_reimporting_the_same_package_changes_nothing(collection, tmp_path):
    written, first = build_and_import(collection, [article(tmp_path)], tmp_path)
    notes, cards = collection.note_count(), collection.card_count()
    models = sorted(model.name for model in collection.models.all_names_and_ids())
    assert len(first.new) == notes

    second = import_package(collection, written.path)
    assert not second.new, f"{len(second.new)} new notes on re-import"
    assert not second.updated and not second.conflicting, "an unchanged package must not update notes"
    assert len(second.duplicate) == notes, "every note should be recognised by its GUID"
    assert (collection.note_count(), collection.card_count()) == (notes, cards), "re-import added notes or cards"
    assert collection.db.scalar("select count(distinct guid) from notes") == notes, "duplicate GUIDs"
    assert sorted(model.name for model in collection.models.all_names_and_ids()) == models
    assert [d.name for d in collection.decks.all_names_and_ids()].count(ARTICLE_NAME) == 1


# --- 7. parent decks ------------------------------------------------------------------------------------


def test_deck_name_with_colons_creates_parent_decks_via_the_cli(collection, tmp_path, write_file):
    path = write_file("cards/nested.yaml", MINIMAL_DECK.replace("name: Demo deck", "name: Science::Chemistry::Basics"))
    out = tmp_path / "cli-out"
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Science::Chemistry::Basics — 1 note, 1 card" in result.output

    log = import_package(collection, out / "demo.apkg")
    assert len(log.new) == 1
    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert {"Science", "Science::Chemistry", "Science::Chemistry::Basics"} <= names, names
    leaf = collection.decks.id_for_name("Science::Chemistry::Basics")
    parent = collection.decks.id_for_name("Science")
    assert collection.decks.parents(leaf)[0]["id"] == parent, "Science is the top of the hierarchy"
    assert deck_cards(collection, "Science::Chemistry::Basics") == set(collection.find_cards("")), (
        "the card sits in the leaf deck")
    assert not deck_cards(collection, "Science"), "the parent deck holds no cards itself"


def test_article_deck_sits_below_its_health_parent(collection, tmp_path):
    build_and_import(collection, [article(tmp_path)], tmp_path)
    parent = collection.decks.id_for_name("Health")
    assert parent, "the 'Health' parent deck was not created"
    children = [name for name, _ in collection.decks.children(parent)]
    assert children == [ARTICLE_NAME], children
    assert len(collection.find_cards('"deck:Health"')) == collection.card_count(), "studying Health shows every card"
