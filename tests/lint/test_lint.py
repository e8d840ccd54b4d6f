"""`deckbuilder lint`: each rule on a card that breaks it, the ways to switch rules off, and the output."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from deckbuilder.cli.main import main
from deckbuilder.lint.linter import RULES
from deckbuilder.lint.rules import similar_pairs
from tests.support.decks import ARTICLE_DECK, MINIMAL_DECK, with_cards


def lint(in_tmp_path, text: str, *args: str, pyproject: str | None = None):
    (in_tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    if pyproject is not None:
        (in_tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return CliRunner().invoke(main, ["lint", "deck.yaml", *args])


# Each case: cards that break one rule, and exactly the lines lint prints for them.
RULE_CASES = {
    "long-answer": ("- id: c1\n  front: What does the long answer say?\n"
                    "  back: one two three four five six seven eight nine ten eleven\n", [
        "deck.yaml:13:15: long-answer the answer has 11 words, more than 10; split it into several cards or "
        "cloze its key words"]),
    "long cloze deletion": ('- id: c1\n  type: cloze\n  text: "In short: {{c1::one two three four five six seven'
                            ' eight nine ten eleven}}, and more words around it to keep the sentence long enough'
                            ' for the deletion"\n', [
        "deck.yaml:13:15: long-answer the answer has 11 words, more than 10; split it into several cards or "
        "cloze its key words"]),
    "enumeration": ("- id: c1\n  front: Which electrolytes does the article name first?\n"
                    "  back: magnesium, sodium and potassium\n", [
        "deck.yaml:13:15: enumeration the answer lists 3 items; make it a cloze card with one deletion per item"]),
    "enumeration as a Markdown list": ("- id: c1\n  front: Which electrolytes?\n  back: |\n    - magnesium\n"
                                       "    - sodium\n    - potassium\n", [
        "deck.yaml:13:15: enumeration the answer lists 3 items; make it a cloze card with one deletion per item"]),
    "near-duplicate": ("- {id: c1, front: What does vitamin K2 activate in arteries?, back: MGP}\n"
                       "- {id: c2, front: What does vitamin K2 activate in the arteries?, back: MGP}\n", [
        "deck.yaml:12:25: near-duplicate the question is nearly the same as card 'c1' (deck.yaml:11)"]),
    "cloze-hides-most": ('- id: c1\n  type: cloze\n  text: "{{c1::Paris is the capital of France}}. It lies on'
                         ' the {{c2::Seine}}."\n', [
        "deck.yaml:13:15: cloze-hides-most a deletion hides 6 of the 6 words of its sentence; hide only the "
        "key words"]),
    "answer-in-question": ("- id: c1\n  front: Which security guard keeps calcium out of arteries?\n"
                           "  back: security guard\n", [
        "deck.yaml:13:15: answer-in-question the question already shows the answer 'security guard'"]),
    "answer in a cloze's own hint": ('- id: c1\n  type: cloze\n  text: "K2 activates {{c1::MGP::MGP protein}} in'
                                     ' arteries."\n', [
        "deck.yaml:13:15: answer-in-question the question already shows the answer 'MGP'"]),
    "dangerous-html": ('- id: c1\n  front: \'Click <a href="#" onclick="steal()">here</a>\'\n'
                       "  back: <script>alert(1)</script>\n", [
        "deck.yaml:12:16: dangerous-html an event handler (onclick) on <a>; cards must not run code",
        "deck.yaml:13:15: dangerous-html a <script> element; cards must not run code"]),
    "javascript address": ("- id: c1\n  front: '[here](javascript:alert(1)) or <a href=\"javascript:go()\">x</a>'"
                           "\n  back: A\n", [
        "deck.yaml:12:16: dangerous-html a javascript: URL in <a href>; cards must not run code"]),
    "unbalanced-html": ("- id: c1\n  front: <div>What is open?\n  back: an answer</span>\n", [
        "deck.yaml:12:16: unbalanced-html <div> is not closed",
        "deck.yaml:13:15: unbalanced-html </span> closes a tag that is not open"]),
    "missing-media": ("- id: c1\n  front: '![a diagram](img/missing.png) What does it show?'\n  back: A\n", [
        "deck.yaml:12:16: missing-media media file 'img/missing.png' not found (looked for img/missing.png; "
        "media paths are relative to the card file)"]),
}


@pytest.mark.parametrize("case", RULE_CASES, ids=list(RULE_CASES))
def test_each_rule_finds_what_it_is_for(in_tmp_path, case):
    text, expected = RULE_CASES[case]
    result = lint(in_tmp_path, with_cards(text))
    errors = sum(1 for line in expected if RULES[line.split()[1]].severity == "error")
    summary = (f"{len(expected)} problem{'s' if len(expected) > 1 else ''} found: {errors} error"
               f"{'' if errors == 1 else 's'}, {len(expected) - errors} warning{'' if len(expected) - errors == 1 else 's'}")
    assert result.output.splitlines() == [*expected, summary]
    assert result.exit_code == (1 if errors else 0)


@pytest.mark.parametrize("answer", ["A molecule, usually a protein, that belongs to the pathogen",
                                    "Cells, which then die, or their remains",
                                    "Sodium, not potassium, or calcium"])
def test_an_aside_or_a_clause_between_commas_is_not_an_enumeration(in_tmp_path, answer):
    card = with_cards(f"- {{id: c1, front: What is an antigen?, back: '{answer}'}}\n")
    assert lint(in_tmp_path, card).output == "no problems found\n"
    listing = with_cards("- {id: c1, front: Which cells?, back: 'B cells, T cells, usually NK cells and more'}\n")
    assert "enumeration the answer lists 3 items" in lint(in_tmp_path, listing).output


def test_a_capital_stopword_in_an_answer_is_a_name_not_filler(in_tmp_path):
    # The article deck's reverse card asks "bones have calcium guided into them by the vitamin …?" for
    # "Vitamin A": the 'A' is what is asked, so the question does not give the answer away.
    relationship = ("    relationships:\n      - {id: r1, subject: Vitamin A, relation: helps guide calcium into, "
                    "object: bones, inverse: have calcium guided into them by the vitamin}\n")
    # (It shows 'vitamin', half the answer: relation-holds-answer says so, answer-in-question does not.)
    assert lint(in_tmp_path, MINIMAL_DECK + relationship).output.splitlines() == [
        "deck.yaml:15:27: relation-holds-answer the question already shows 'vitamin' of the answer 'Vitamin A'; "
        "take those words out of the relation or the answer", "1 problem found: 0 errors, 1 warning"]
    basic = with_cards("- {id: c1, front: Which vitamin is a vitamin?, back: a vitamin}\n")
    assert lint(in_tmp_path, basic).output.splitlines()[0] == (
        "deck.yaml:11:60: answer-in-question the question already shows the answer 'a vitamin'")


def test_unused_media_is_reported_at_the_file(in_tmp_path):
    (in_tmp_path / "img").mkdir()
    for name in ("used.png", "unused.png", "notes.txt"):
        (in_tmp_path / "img" / name).write_bytes(b"\x89PNG")
    result = lint(in_tmp_path, with_cards("- {id: c1, front: '![a chart](img/used.png) What rises?', back: Sales}\n"))
    assert result.output.splitlines() == ["img/unused.png:1:1: unused-media no card uses 'unused.png'",
                                          "1 problem found: 0 errors, 1 warning"]


def test_empty_section(in_tmp_path):
    text = MINIMAL_DECK + "  - id: s02-empty\n    number: 2\n    title: Nothing yet\n"
    result = lint(in_tmp_path, text)
    assert result.output.splitlines() == ["deck.yaml:14:5: empty-section section 's02-empty' has no cards",
                                          "1 problem found: 0 errors, 1 warning"]


def test_a_deck_that_does_not_check_shows_its_problems_as_check_does(in_tmp_path):
    result = lint(in_tmp_path, with_cards("- {id: c1, front: Q}\n"))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "deck.yaml:11:9: 'back' is required (basic card needs a back: the answer)",
        "1 problem found: 1 error, 0 warnings"]


LONG = "- id: c1\n  front: What does the long answer say?\n  back: one two three four five six seven eight nine ten eleven\n"


def test_a_card_switches_a_rule_off(in_tmp_path):
    assert lint(in_tmp_path, with_cards(LONG + "  lint: {ignore: [long-answer]}\n")).output == "no problems found\n"


def test_a_file_switches_a_rule_off(in_tmp_path):
    assert lint(in_tmp_path, with_cards(LONG) + "lint:\n  ignore: [long-answer]\n").output == "no problems found\n"


def test_the_project_switches_a_rule_off_or_tunes_it(in_tmp_path):
    ignore = "[tool.deckbuilder.lint]\nignore = ['long-answer']\n"
    assert lint(in_tmp_path, with_cards(LONG), pyproject=ignore).output == "no problems found\n"
    longer = "[tool.deckbuilder]\nlint.max-answer-words = 11\n"
    assert lint(in_tmp_path, with_cards(LONG), pyproject=longer).output == "no problems found\n"
    shorter = "[tool.deckbuilder]\nlint = {max-answer-words = 2}\n"
    assert lint(in_tmp_path, MINIMAL_DECK.replace("back: One", "back: One more time"), pyproject=shorter).output == (
        "deck.yaml:13:15: long-answer the answer has 3 words, more than 2; split it into several cards or cloze "
        "its key words\n1 problem found: 0 errors, 1 warning\n")


def test_an_unknown_rule_in_an_ignore_list_is_a_located_problem(in_tmp_path):
    result = lint(in_tmp_path, with_cards(LONG + "  lint: {ignore: [long-answers]}\n"))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "deck.yaml:14:25: unknown lint rule 'long-answers' (did you mean 'long-answer'? "
        "'deckbuilder lint --rules' lists them)")


def test_json_output(in_tmp_path):
    result = lint(in_tmp_path, with_cards("- {id: c1, front: '<b>Q', back: A}\n"), "--json")
    assert result.exit_code == 1
    assert json.loads(result.output) == [{"path": "deck.yaml", "line": 11, "column": 25, "rule": "unbalanced-html",
                                          "severity": "error", "message": "<b> is not closed"}]


def test_quiet_prints_only_problems(in_tmp_path):
    assert lint(in_tmp_path, MINIMAL_DECK, "-q").output == ""
    assert lint(in_tmp_path, with_cards(LONG), "-q").output.count("\n") == 1


def test_rules_lists_every_rule_with_its_severity():
    result = CliRunner().invoke(main, ["lint", "--rules"])
    lines = result.output.splitlines()
    assert lines[0].split() == ["rule", "severity", "why"]
    assert [line.split()[:2] for line in lines[1:]] == [
        *([rule.id, rule.severity] for rule in RULES.values()), ["check", "error"]]


def test_the_article_deck_is_lint_clean():
    result = CliRunner().invoke(main, ["lint", str(ARTICLE_DECK)])
    assert (result.exit_code, result.output) == (0, "no problems found\n")


def test_similar_pairs_finds_what_comparing_every_pair_finds():
    generator = random.Random(4)
    words = [f"w{index}" for index in range(12)]
    sets = [frozenset(generator.sample(words, generator.randint(1, 6))) for _ in range(400)]
    found = dict((later, earlier) for earlier, later in similar_pairs(sets, 0.8))
    for later, words_later in enumerate(sets):
        similar = [earlier for earlier in range(later)
                   if len(sets[earlier] & words_later) / len(sets[earlier] | words_later) >= 0.8]
        assert (later in found) == bool(similar)
        if similar:
            assert found[later] in similar


def test_a_card_with_no_section_is_a_problem_that_says_where_cards_go(in_tmp_path):
    result = lint(in_tmp_path, MINIMAL_DECK + "cards:\n  - {id: loose, front: Q, back: A}\n")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "deck.yaml:14:1: unknown key 'cards' in a card file (cards belong to a section: put them under "
        "'sections: - id: … title: …')")


OWN_TYPE = """\
note_types:
  - id: vocab
    name: Vocabulary
    fields: [Word, Meaning]
    templates:
      - {name: Reading, front: "{{Word}}", back: "{{FrontSide}}<hr id=answer>{{Meaning}}"}
  - id: sentence
    name: Sentence
    kind: cloze
    fields: [Sentence]
    templates:
      - {name: Cloze, front: "{{cloze:Sentence}}", back: "{{cloze:Sentence}}"}
"""


def test_rules_read_a_decks_own_note_types_through_their_templates(in_tmp_path):
    """The front's fields are the question, the fields only the back shows are the answer; a cloze note type's
    deletions are its answers."""
    cards = with_cards("""\
        - id: c1
          type: vocab
          fields: {Word: Which three electrolytes?, Meaning: 'magnesium, sodium and potassium'}
        - id: c2
          type: sentence
          fields: {Sentence: '{{c1::Paris is the capital of France}}. It lies on the {{c2::Seine}}.'}
        - id: c3
          type: vocab
          fields: {Word: 'x <script>alert(1)</script>', Meaning: y}
        """)
    result = lint(in_tmp_path, cards.replace("sections:", OWN_TYPE + "sections:"))
    assert result.output.splitlines() == [
        "deck.yaml:25:60: enumeration the answer lists 3 items; make it a cloze card with one deletion per item",
        "deck.yaml:28:28: cloze-hides-most a deletion hides 6 of the 6 words of its sentence; hide only the key words",
        "deck.yaml:31:24: dangerous-html a <script> element; cards must not run code",
        "3 problems found: 1 error, 2 warnings"]
