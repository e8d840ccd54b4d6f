"""The lint rules that read the deck as a whole: each on a small deck with its exact finding, then on the
article deck as it was before issue 15 (tests/lint/decks/), where they find the problems the issue lists,
and on the shipped deck, where they find nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from deckbuilder.cli.main import main
from tests.support.decks import ARTICLE_DECK, MINIMAL_DECK, with_cards

BEFORE = Path(__file__).parent / "decks" / "k2-calcification-before.yaml"


def lint(in_tmp_path, text: str) -> list[str]:
    (in_tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["lint", "deck.yaml", "-q"]).output.splitlines()


RELATIONSHIPS = "    relationships:\n"

CASES = {
    "same-question": (with_cards("- {id: c1, front: Which mineral helps bones?, back: Magnesium}\n"
                                 "- {id: c2, front: Which minerals help your bones?, back: Boron}\n"), [
        "deck.yaml:12:25: near-duplicate the question is nearly the same as card 'c1' (deck.yaml:11)",
        "deck.yaml:12:64: same-question card 'c1' (deck.yaml:11) asks the same question for 'Magnesium', this "
        "one for 'Boron'; name in the question what tells them apart"]),
    "same question, one answer: nothing to guess": (
        with_cards("- {id: c1, type: reversed, front: MGP, back: Matrix Gla Protein}\n"
                   "- {id: c2, front: What does MGP stand for?, back: Matrix Gla Protein}\n"), []),
    "reverse-has-many-answers": (MINIMAL_DECK + RELATIONSHIPS + (
        "      - {id: r1, subject: Zinc, relation: helps digest, object: calcium, inverse: is digested with}\n"
        "      - {id: r2, subject: Protein, relation: help digest, object: Calcium, inverse: is digested by}\n"), [
        "deck.yaml:15:27: reverse-has-many-answers the reverse card, asking what 'helps digest' 'calcium', has 2 "
        "right answers in this deck (also the subjects of 'r2'); make them one group, each member with a cue "
        "only it fits",
        "deck.yaml:16:27: reverse-has-many-answers the reverse card, asking what 'help digest' 'Calcium', has 2 "
        "right answers in this deck (also the subjects of 'r1'); make them one group, each member with a cue "
        "only it fits"]),
    "shared-answer": (with_cards("- {id: c1, front: Where does K2 send calcium?, back: bones}\n"
                                 "- {id: c2, front: Where does magnesium guide calcium?, back: bones}\n"
                                 "- {id: c3, front: Where does boron guide calcium?, back: the bones}\n"
                                 "- id: c4\n  type: cloze\n  text: Exercise tells your {{c1::bones}} to take calcium.\n"
                                 ), [
        "deck.yaml:11:60: shared-answer 4 cards have the answer 'bones' (also 'c2', 'c3', 'c4'); ask what tells "
        "this one apart",
        "deck.yaml:12:68: shared-answer 4 cards have the answer 'bones' (also 'c1', 'c3', 'c4'); ask what tells "
        "this one apart",
        "deck.yaml:13:64: shared-answer 4 cards have the answer 'the bones' (also 'c1', 'c2', 'c4'); ask what "
        "tells this one apart",
        "deck.yaml:16:15: shared-answer 4 cards have the answer 'bones' (also 'c1', 'c2', 'c3'); ask what tells "
        "this one apart"]),
    "three cards may share an answer": (
        with_cards("- {id: c1, front: Where does K2 send calcium?, back: bones}\n"
                   "- {id: c2, front: Where does magnesium guide calcium?, back: bones}\n"
                   "- {id: c3, front: Where does boron guide calcium?, back: the bones}\n"), []),
    "relation-holds-answer": (MINIMAL_DECK + RELATIONSHIPS + (
        "      - {id: r1, subject: Boron, relation: helps the body use the vitamin, object: vitamin D}\n"), [
        "deck.yaml:15:84: relation-holds-answer the question already shows 'vitamin' of the answer 'vitamin D'; "
        "take those words out of the relation or the answer"]),
    "a topic word shared is no giveaway": (MINIMAL_DECK + RELATIONSHIPS + (
        "      - {id: r1, subject: Vitamin D, relation: serves the calcium step of, "
        "object: absorbing calcium across the gut wall}\n"), []),
    "type-in-variants": (with_cards("- {id: c1, type: type-in, front: Which B vitamin helps digestion?, back: B6}\n"
                                    "- {id: c2, type: type-in, front: Where does it show up?, back: The scans}\n"), [
        "deck.yaml:11:80: type-in-variants learners may type 'vitamin B6' or 'b6' for 'B6', which Anki marks "
        "wrong; say what to type in brackets at the end of the question, e.g. '(one word, plural)'",
        "deck.yaml:12:70: type-in-variants learners may type 'the scans' or 'scans' for 'The scans', which Anki "
        "marks wrong; say what to type in brackets at the end of the question, e.g. '(one word, plural)'"]),
    "a type-in question that says what to type": (
        with_cards("- {id: c1, type: type-in, front: Which B vitamin? (letter and number), back: B6}\n"
                   "- {id: c2, type: type-in, front: Which process?, back: absorption}\n"), []),
    "context-word": (with_cards("- {id: c1, front: Why do all these processes matter?, back: They move calcium}\n"
                                "- {id: c2, front: What does this section say about zinc?, back: It digests}\n"
                                "- {id: c3, front: Which mineral is named above?, back: Listed in the above list}\n"), [
        "deck.yaml:11:25: context-word 'all these processes' points at something the card does not show; name "
        "what it means",
        "deck.yaml:12:25: context-word 'this section' points at something the card does not show; name what it "
        "means",
        "deck.yaml:13:62: context-word 'the above list' points at something the card does not show; name what it "
        "means"]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_deck_rule_finds_what_it_is_for(in_tmp_path, case):
    text, expected = CASES[case]
    assert lint(in_tmp_path, text) == expected


def test_anki_marks_the_variants_it_names_wrong(tmp_path):
    """The type-in rule's premise, asked of Anki itself: a typed answer that differs in case, qualifier or
    number is not the expected one."""
    from anki.collection import Collection

    from deckbuilder.lint.deckrules import likely_typed

    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        for answer, question in (("B6", "Which B vitamin?"), ("scans", "Shows up in what?")):
            for typed in likely_typed(answer, question):
                assert "typeBad" in collection.compare_answer(answer, typed) or "typeMissed" in \
                    collection.compare_answer(answer, typed), typed
    finally:
        collection.close()


def test_a_group_is_the_fix_the_rules_ask_for(in_tmp_path):
    group = MINIMAL_DECK + """\
    groups:
      - id: digest
        object: calcium from food
        relation: helps digest
        ask: Which co-factor helps digest calcium from food
        set: "Digesting calcium depends on {zinc} and {protein}."
        members:
          - {id: zinc, n: 1, answer: Zinc, cue: the one named first}
          - {id: protein, n: 2, answer: Protein, cue: the one a diet must be adequate in}
"""
    assert lint(in_tmp_path, group) == []


def before_findings() -> list[str]:
    result = CliRunner().invoke(main, ["lint", str(BEFORE), "-q"])
    return [line.split(": ", 1)[1] for line in result.output.splitlines()]


def test_the_deck_before_issue_15_shows_the_problems_the_issue_lists():
    findings = before_findings()
    rules = [finding.split()[0] for finding in findings]
    # "bones" ×8 (the five "guides calcium into" relationships, exercise, two clozes), "calcium from food" ×4,
    # "Vitamin K2" ×6 and "Boron" ×4.
    assert sum("have the answer 'bones'" in f or "have the answer 'your bones'" in f for f in findings) == 8
    assert sum("have the answer 'calcium from food'" in f for f in findings) == 4
    assert sum("have the answer 'Vitamin K2'" in f or "have the answer 'vitamin K2'" in f for f in findings) == 6
    assert sum("answer 'Boron'" in f or "answer 'boron'" in f for f in findings) == 4
    # Reverse cards answered by elimination: bones ← five co-factors, calcium from food ← four.
    assert sum("asking what 'helps guide calcium into' 'bones', has 5 right answers" in f for f in findings) == 5
    assert sum("'calcium from food', has 4 right answers" in f for f in findings) == 4
    # Half the answer in the question: "…use the vitamin …?" → vitamin D, "by the vitamin …?" → Vitamin A.
    assert "relation-holds-answer the question already shows 'vitamin' of the answer 'vitamin D'; take those " \
           "words out of the relation or the answer" in findings
    # "vitamin B6" typed for "B6"; "scan" for "scans".
    assert "type-in-variants learners may type 'vitamin B6' or 'b6' for 'B6', which Anki marks wrong; say what " \
           "to type in brackets at the end of the question, e.g. '(one word, plural)'" in findings
    assert sum("type-in-variants learners may type 'scan' for 'scans'" in f for f in findings) == 1
    # "these processes", "these nutrients".
    assert [f for f in findings if f.startswith("context-word")] == [
        "context-word 'all these nutrients' points at something the card does not show; name what it means",
        "context-word 'all these processes' points at something the card does not show; name what it means"]
    assert set(rules) == {"shared-answer", "reverse-has-many-answers", "relation-holds-answer", "type-in-variants",
                          "context-word"}


def test_the_shipped_deck_is_clean_with_every_rule():
    result = CliRunner().invoke(main, ["lint", str(ARTICLE_DECK)])
    assert (result.exit_code, result.output) == (0, "no problems found\n")


def test_the_shipped_deck_asks_no_question_twice_and_no_answer_more_than_three_times():
    """Issue 15's bar, counted directly: every card's question (its meaningful words) is its own, and no
    answer is on more than three cards."""
    from collections import Counter

    from deckbuilder.lint.rules import LintContext, each_prompt
    from deckbuilder.lint.text import content_words
    from deckbuilder.pipeline.build import read_decks

    [deck] = read_decks([ARTICLE_DECK])
    prompts = list(each_prompt(deck, LintContext(10, [deck])))
    questions = Counter(content_words(prompt.question) for _, prompt in prompts)
    answers = Counter(content_words(" ".join(prompt.answers)) for _, prompt in prompts)
    assert len(prompts) == 117
    assert [sorted(words) for words, count in questions.items() if count > 1] == []
    assert max(answers.values()) == 3
