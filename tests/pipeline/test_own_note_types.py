"""A deck's own note types and subdecks in real Anki: the notes, the cards Anki would make, their decks and
their rendering; then every change an author makes later, imported on top."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckbuilder.anki.templates import CardContext, render_note
from deckbuilder.pipeline.build import build
from tests.support.anki import cards_anki_makes, import_package, without_style
from tests.support.cli import run
from tests.support.decks import HTML_DECK, OWN_TYPES_CARDS, write_own_types_deck

VOCAB, SENTENCE = "Vocabulary (deckbuilder)", "Sentence cloze (deckbuilder)"


@pytest.fixture
def own_types(tmp_path, monkeypatch):
    """The own-types deck in a deck repository, built once; run from its root."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_own_types_deck(tmp_path / "cards")
    assert run("build").exit_code == 0
    return tmp_path


def edit(project, old: str, new: str) -> None:
    path = project / "cards" / "german.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def notes_by_id(col) -> dict:
    """GUID → Anki's note."""
    return {col.get_note(note_id).guid: col.get_note(note_id) for note_id in col.find_notes("")}


def test_own_note_types_arrive_with_their_settings_and_exactly_the_cards_anki_makes(collection, tmp_path):
    [written] = build([write_own_types_deck(tmp_path / "cards")], tmp_path / "build")
    log = import_package(collection, written.path)
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (5, 0, 0)
    vocab, sentence = collection.models.by_name(VOCAB), collection.models.by_name(SENTENCE)
    assert [(f["name"], f["font"], f["size"], f["sticky"]) for f in vocab["flds"]] == [
        ("Word", "Liberation Sans", 20, False), ("Meaning", "Liberation Sans", 20, False),
        ("Example", "Georgia", 18, False), ("Plural", "Liberation Sans", 20, True)]
    assert [t["name"] for t in vocab["tmpls"]] == ["Reading", "Plural"]
    assert vocab["css"].startswith(".card { font-family: Georgia") and (vocab["type"], sentence["type"]) == (0, 1)
    anki = notes_by_id(collection)
    for note in written.deck.notes:
        in_anki = anki[note.guid]
        assert in_anki.fields == list(note.fields)
        assert sorted(card.ord for card in in_anki.cards()) == list(note.card_ords) == cards_anki_makes(
            collection, in_anki), note.card_id
    assert len(collection.find_cards("")) == OWN_TYPES_CARDS
    decks = {(anki[note.guid]["Word"] if "Word" in note.field_names else note.card_id):
             sorted({collection.decks.name(card.did) for card in anki[note.guid].cards()}) for note in written.deck.notes}
    assert decks == {"das Haus": ["Languages::German::Nouns"], "der Hund": ["Languages::German::Nouns::Animals"],
                     "ich-bin": ["Languages::German"], "nested": ["Languages::German"],
                     "basic-beside": ["Languages::German"]}


def test_a_card_is_made_only_where_its_front_shows_a_filled_field(collection, tmp_path):
    """hund has no Plural: Anki makes no Plural card, and the package brings none."""
    [written] = build([write_own_types_deck(tmp_path / "cards")], tmp_path / "build")
    ords = {note.card_id: note.card_ords for note in written.deck.notes}
    assert (ords["haus"], ords["hund"], ords["nested"]) == ((0, 1), (0,), (0, 1, 2))


def test_own_note_types_render_as_in_anki(collection, tmp_path):
    [written] = build([write_own_types_deck(tmp_path / "cards")], tmp_path / "build")
    import_package(collection, written.path)
    types = written.deck.note_types
    compared = 0
    for note in written.deck.notes:
        note_type = types[note.note_type]
        context = CardContext(note.tags, written.deck.subdeck_name(note.subdeck), note_type.name)
        ours = {card.ord: card for card in render_note(note_type, note.fields, context)}
        note_id = collection.db.scalar("select id from notes where guid = ?", note.guid)
        for card in collection.get_note(note_id).cards():
            css = note_type.card_css
            assert ours[card.ord].front.html == without_style(card.question(), css), (note.card_id, card.ord)
            assert ours[card.ord].back.html == without_style(card.answer(), css), (note.card_id, card.ord)
            spoken = [(tag.field_text, tag.lang) for tag in card.question_av_tags()]
            assert [(sound.text, sound.lang) for sound in ours[card.ord].front.sounds] == spoken
            compared += 1
    assert compared == OWN_TYPES_CARDS


def test_an_edited_template_or_css_updates_the_note_type_in_place_and_no_note(own_types, collection, monkeypatch):
    import_package(collection, own_types / "build" / "german.apkg")
    edit(own_types, "font-size: 22px", "font-size: 24px")
    edit(own_types, "What is the plural of", "Plural of")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    plan = run("plan")
    assert f"  note type {VOCAB}: templates or CSS changed: Anki updates the note type in place" in plan.output
    assert "Anki will add 0 notes, update 0 and leave 5 unchanged" in plan.output
    assert run("build").exit_code == 0
    log = import_package(collection, own_types / "build" / "german.apkg")
    assert (len(log.new), len(log.updated), len(log.conflicting), len(log.duplicate)) == (0, 0, 0, 5)
    names = sorted(model["name"] for model in collection.models.all() if "deckbuilder" in model["name"])
    assert names == sorted([VOCAB, SENTENCE, "deckbuilder Basic"]), "no '+' copy"
    vocab = collection.models.by_name(VOCAB)
    assert "font-size: 24px" in vocab["css"] and vocab["tmpls"][1]["qfmt"].startswith("{{#Plural}}Plural of")


def test_a_renamed_field_is_refused_with_what_anki_would_do_and_forced_it_does_that(own_types, collection):
    import_package(collection, own_types / "build" / "german.apkg")
    edit(own_types, "      - Meaning\n", "      - Meanings\n")
    edit(own_types, "Meaning: the house", "Meanings: the house")
    edit(own_types, "Meaning: the dog", "Meanings: the dog")
    edit(own_types, "{{Meaning}}", "{{Meanings}}")
    result = run("build")
    assert result.exit_code == 1
    assert result.output.startswith(
        f"cards/german.lock:8:1: note type '{VOCAB}' has other fields or templates than in the last build: Anki "
        "would add a copy of it and leave its 2 notes in your users' collections unupdated (logged as conflicting) "
        "(build with --force to accept that; users must then tick 'Merge note types' when importing)")
    assert run("build", "--force").exit_code == 0
    edit(own_types, "the dog", "the hound")  # an edit Anki would take, were the note type the same
    assert run("build").exit_code == 0
    log = import_package(collection, own_types / "build" / "german.apkg")
    assert len(log.conflicting) == 2 and len(log.updated) == 0
    assert f"{VOCAB}+" in [model["name"] for model in collection.models.all()]


def test_a_changed_kind_is_refused_with_what_anki_would_do_and_forced_it_does_that(own_types, collection):
    """Anki changes the kind in place, and the cards keep their reviews by ordinal: checked here the other way,
    a cloze note type become standard."""
    import_package(collection, own_types / "build" / "german.apkg")
    edit(own_types, "    kind: cloze\n    markup: html\n", "    markup: html\n")
    edit(own_types, "front: '{{cloze:Sentence}}'", "front: '{{Sentence}}'")
    edit(own_types, "back: '{{cloze:Sentence}}<br>", "back: '{{Sentence}}<br>")
    result = run("check")
    assert result.output == (
        f"cards/german.lock:7:1: note type '{SENTENCE}' was a cloze note type in the last build: Anki would change "
        "its kind in place, and the cards of its 2 notes keep their reviews by number (the card of a standard note "
        "type's first template is cloze card 1 after, whatever that asks) (keep its kind, or declare a note type "
        "with a new id for these cards; --force builds it anyway)\n1 problem found; nothing was written.\n")
    assert f"note type {SENTENCE}: standard became cloze or back" in run("plan").output
    assert run("build", "--force").exit_code == 0
    log = import_package(collection, own_types / "build" / "german.apkg")
    assert (len(log.conflicting), len(log.updated)) == (0, 0)
    assert collection.models.by_name(SENTENCE)["type"] == 0, "changed in place"
    assert f"{SENTENCE}+" not in [model["name"] for model in collection.models.all()]


def test_a_card_moved_to_another_subdeck_stays_where_anki_has_it_and_new_cards_land_in_theirs(own_types, collection):
    import_package(collection, own_types / "build" / "german.apkg")
    edit(own_types, "        subdeck: Nouns::Animals\n", "        subdeck: Animals\n")
    edit(own_types, "  - id: sentences\n", "      - {id: katze, type: vocab, subdeck: Animals, fields: {Word: die Katze, "
                                           "Meaning: the cat}}\n  - id: sentences\n")
    plan = run("plan")
    assert ("  > hund moved to 'Languages::German::Animals': Anki never moves cards on import, so learners who have it "
            "keep its cards in 'Languages::German::Nouns::Animals'; new learners get them in "
            "'Languages::German::Animals'") in plan.output.splitlines()
    assert "Anki will add 1 note, update 0 and leave 5 unchanged" in plan.output
    assert run("build").exit_code == 0
    assert '"subdeck": "Animals"' in (own_types / "cards" / "german.lock").read_text()
    log = import_package(collection, own_types / "build" / "german.apkg")
    assert (len(log.new), len(log.updated)) == (1, 0)
    cards = [collection.get_card(card_id) for card_id in collection.find_cards(f'"note:{VOCAB}" card:1')]
    deck_of = {card.note()["Word"]: collection.decks.name(card.did) for card in cards}
    assert deck_of["der Hund"] == "Languages::German::Nouns::Animals"
    assert deck_of["die Katze"] == "Languages::German::Animals"
    assert "moved" not in run("plan").output, "said once, as a renamed deck is"


def test_a_removed_card_of_an_own_note_type_is_retired_with_its_tag(own_types, collection):
    import_package(collection, own_types / "build" / "german.apkg")
    edit(own_types, "      - id: nested\n", "      - id: nested-again\n")
    assert run("build").exit_code == 0
    log = import_package(collection, own_types / "build" / "german.apkg")
    assert (len(log.new), len(log.updated)) == (1, 1)
    [retired] = collection.find_notes("tag:german::retired")
    assert collection.get_note(retired)["Sentence"] == "{{c1::Wien {{c2::Österreich}}}} und {{c3::Bern}}"


def test_a_note_type_still_used_by_notes_in_collections_must_stay_declared(own_types):
    text = (own_types / "cards" / "german.yaml").read_text()
    start, end = text.index("  - id: sentence\n    name"), text.index("sections:")
    cards = text.index("  - id: sentences\n")
    (own_types / "cards" / "german.yaml").write_text(text[:start] + text[end:cards] + "")
    result = run("build")
    assert result.exit_code == 1
    assert ("cards/german.lock:7:1: note type 'sentence' is no longer declared, but the last build sent notes of it "
            "(keep its declaration under 'note_types:' while its notes are retired, or build with --prune-retired)"
            ) in result.output
    assert run("build", "--prune-retired").exit_code == 0


def test_an_html_field_is_kept_byte_for_byte_with_its_media_under_their_own_names(tmp_path, collection):
    from tests.support.decks import tiny_png

    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "deck.yaml").write_text(HTML_DECK)
    (tmp_path / "cards" / "femur bone.png").write_bytes(tiny_png())
    (tmp_path / "cards" / "say.mp3").write_bytes(b"ID3 not really audio")
    [written] = build([tmp_path / "cards"], tmp_path / "build")
    import_package(collection, written.path)
    [note_id] = collection.find_notes("")
    assert collection.get_note(note_id)["Picture"] == '<img src="femur bone.png">  [sound:say.mp3] *kept*'
    media = Path(collection.media.dir())
    assert (media / "femur bone.png").read_bytes() == tiny_png() and (media / "say.mp3").is_file()


def test_an_html_field_names_media_without_a_folder(tmp_path, monkeypatch):
    (tmp_path / "cards" / "img").mkdir(parents=True)
    (tmp_path / "cards" / "img" / "x.png").write_bytes(b"x")
    (tmp_path / "cards" / "say.mp3").write_bytes(b"ID3 not really audio")
    (tmp_path / "cards" / "deck.yaml").write_text(HTML_DECK.replace("femur bone.png", "img/x.png"))
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.output.splitlines()[0] == (
        "cards/deck.yaml:17:54: media path 'img/x.png' names a folder (a field kept as HTML names a media file as "
        "Anki's media folder does: put the file beside the card file and give its name alone)")


def test_two_media_files_of_one_name_in_html_fields_are_refused(tmp_path, monkeypatch):
    (tmp_path / "cards" / "more").mkdir(parents=True)
    for folder, data in ((tmp_path / "cards", b"one"), (tmp_path / "cards" / "more", b"two")):
        (folder / "femur bone.png").write_bytes(data)
        (folder / "say.mp3").write_bytes(b"ID3 not really audio")
    (tmp_path / "cards" / "deck.yaml").write_text(HTML_DECK)
    (tmp_path / "cards" / "more" / "part.yaml").write_text(
        "deck: pictures\nsections:\n  - id: bones\n    cards:\n"
        "      - {id: tibia, type: picture, fields: {Picture: '<img src=\"femur bone.png\">', Name: Tibia}}\n")
    monkeypatch.chdir(tmp_path)
    assert run("check").output.splitlines()[0] == (
        "cards/deck.yaml:2:3: two media files are named 'femur bone.png': cards/femur bone.png and "
        "cards/more/femur bone.png (Anki keeps a deck's media in one folder: rename one)")
