"""The one cloze reader: Anki's own card numbers for any text, and stats, build, plan and Anki agreeing on it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckbuilder.anki import cloze
from deckbuilder.cli.main import main
from tests.support.anki import import_package
from tests.support.decks import MINIMAL_DECK
PIECES = ["{{c1::", "{{c2::", "{{c3::", "{{c1,2::", "{{c2,1::", "{{c0::", "{{c12::", "{{c501::", "{{c99999::",
          "{{c1,99999::", "{{c,::", "{{C1::", "{{c1:", "{{c", "}}", "}", "{", "::", ":", "a", "b ", " ", "<b>",
          "</b>", "\\(x\\)", "image-occlusion:"]


@pytest.fixture(scope="module")
def anki_cloze():
    """A note of Anki's stock Cloze type, to ask Anki's own code which cards a text makes."""
    import tempfile
    from pathlib import Path

    from anki.collection import Collection

    with tempfile.TemporaryDirectory() as folder:
        col = Collection(str(Path(folder) / "collection.anki2"))
        yield col.new_note(col.models.by_name("Cloze"))
        col.close()


def anki_numbers(note, *fields: str) -> set[int]:
    for index, name in enumerate(note.keys()):
        note[name] = fields[index] if index < len(fields) else ""
    return set(note.cloze_numbers_in_fields())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_card_numbers_are_anki_s_own_for_any_text(anki_cloze, text):
    assert cloze.card_numbers(text) == anki_numbers(anki_cloze, text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), min_size=2, max_size=2))
def test_a_cloze_note_s_cards_come_from_all_its_fields_as_in_anki(anki_cloze, fields):
    expected = {min(number, 500) - 1 for number in anki_numbers(anki_cloze, *fields)}
    assert cloze.card_ords(fields) == sorted(expected)


def test_nesting_past_ten_deep_is_read_as_anki_reads_it(anki_cloze):
    text = "".join(f"{{{{c{number}::w{number} " for number in range(1, 13)) + "}}" * 12
    assert cloze.card_numbers(text) == anki_numbers(anki_cloze, text) == set(range(1, 11))


def test_each_deletion_s_answer_includes_what_is_nested_in_it():
    assert cloze.answers("{{c1::Vienna {{c2::Austria}}}} and {{c3,1::Bern::city}}") == {
        "Vienna Austria": {1}, "Austria": {2}, "Bern": {1, 3}}


def test_a_card_s_question_hides_its_deletions_and_shows_the_others():
    shown, hidden = cloze.masked("{{c1::Vienna {{c2::Austria}}}} and {{c3::Bern::city}}", 2,
                                 lambda answer, hint: f"[{hint or '...'}]")
    assert (shown, hidden) == ("Vienna [...] and Bern", ["Austria"])
    shown, hidden = cloze.masked("{{c1::Vienna {{c2::Austria}}}}", 1, lambda answer, hint: "___")
    assert (shown, hidden) == ("___", ["Vienna Austria"])


NESTED = MINIMAL_DECK + """\
      - id: capitals
        type: cloze
        text: "{{c1::Vienna {{c2::Austria}}}}, {{c3,4::Bern}} and {{c5::Rome}}"
      - id: deep
        type: cloze
        text: "{{c1::a {{c2::b {{c3::c {{c4::d {{c5::e {{c6::f {{c7::g {{c8::h {{c9::i {{c10::j {{c11::k}}}}}}}}}}}}}}}}}}}}}}"
"""


def test_stats_build_preview_and_anki_agree_on_the_cards_of_nested_clozes(deck_project, collection):
    from deckbuilder.authoring.preview import page_data
    from deckbuilder.pipeline.build import compile_decks

    project = deck_project(NESTED)
    result = CliRunner().invoke(main, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    [stats] = json.loads(result.output)
    [deck] = compile_decks([project / "cards"])
    on_the_page = sum(len(section["cards"]) for section in page_data(deck)["sections"])
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    log = import_package(collection, project / "build" / "demo.apkg")
    # first: 1; capitals: 1-5; deep: 1-10 (Anki reads ten deep)
    assert stats["cards"] == on_the_page == collection.card_count() == 16 and len(log.new) == 3
    cards = {collection.get_card(card_id).ord + 1 for card_id in collection.find_cards("Vienna")}
    assert cards == {1, 2, 3, 4, 5}


def test_plan_sees_a_renumbering_inside_a_nested_deletion(deck_project):
    project = deck_project(NESTED)
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    (project / "cards" / "demo.yaml").write_text(NESTED.replace("{{c2::Austria}}", "{{c7::Austria}}"))
    result = CliRunner().invoke(main, ["plan"])
    assert result.exit_code == 0, result.output
    assert ("  ! cloze renumbered in capitals: 'Austria' was c2, now c7. The reviews of card 2 stay with c2, "
            "which makes no card now: Anki keeps it as an empty card (Tools > Empty Cards)") in result.output
