"""Relationship groups: a one-to-many relation written once compiles to cards of the built-in note types,
every mistake is reported at its place, and a group grows and shrinks without a learner losing a review."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from deckbuilder.cli.main import main
from tests.support.anki import import_package
from tests.support.decks import MINIMAL_DECK

GROUP = MINIMAL_DECK + """\
    groups:
      - id: step4
        object: "Step 4: guiding calcium into bone"
        relation: helps with
        ask: Besides K2, which co-factor guides calcium into bone
        set: "Guiding calcium into bone is a job for K2, but also {magnesium}, {boron} and more."
        members:
          - id: magnesium
            n: 1
            answer: magnesium
            cue: the electrolyte boron helps you use
          - id: boron
            n: 2
            answer: boron
            cue: the often-overlooked mineral
            extra: Boron also helps use vitamin D.
        common: Magnesium and boron help with which step?
        extra: "§4, step 4."
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_group_compiles_to_a_set_a_card_per_member_and_the_shared_side(in_tmp_path):
    (in_tmp_path / "deck.yaml").write_text(GROUP, encoding="utf-8")
    assert run("build", "deck.yaml", "-o", "out").output == "out/demo.apkg: Demo deck — 5 notes, 6 cards\n"
    notes = json.loads("{" + (in_tmp_path / "demo.lock").read_text().split('"notes": {', 1)[1].rsplit("}", 1)[0])
    assert notes["step4.set"]["type"] == "cloze" and notes["step4.set"]["fields"]["Text"] == (
        "Guiding calcium into bone is a job for K2, but also {{c1::magnesium}}, {{c2::boron}} and more.")
    assert notes["step4.boron"]["fields"]["Front"] == (
        "Besides K2, which co-factor guides calcium into bone — the often-overlooked mineral?")
    assert notes["step4.boron"]["fields"]["Back"] == "boron"
    assert notes["step4.boron"]["fields"]["Extra"].startswith(
        "<p>Boron also helps use vitamin D.</p>\n<p>§4, step 4.</p>\n<div class=\"db-map\">")
    assert (notes["step4.common"]["fields"]["Front"], notes["step4.common"]["fields"]["Back"]) == (
        "Magnesium and boron help with which step?", "Step 4: guiding calcium into bone")
    assert notes["step4.magnesium"]["tags"] == ["demo::s01-intro", "demo::kind::relationship", "demo::group::step4"]
    stats = run("stats", "deck.yaml").output
    assert re.search(r"demo::group::step4 +4 +5\n", stats), stats


def test_anki_makes_the_groups_cards(in_tmp_path, collection):
    (in_tmp_path / "deck.yaml").write_text(GROUP, encoding="utf-8")
    assert run("build", "deck.yaml", "-o", "out").exit_code == 0
    import_package(collection, in_tmp_path / "out" / "demo.apkg")
    answers = sorted(collection.get_card(card).answer().split('<hr id="answer">')[-1].split("</div>")[0]
                     for card in collection.find_cards("tag:demo::group::step4"))
    assert len(answers) == 5  # two set cards, two members, one common card
    cloze = collection.find_cards("tag:demo::group::step4 card:2 note:*Cloze*")
    assert "boron" in collection.get_card(cloze[0]).answer() and "[...]" in collection.get_card(cloze[0]).question()


BROKEN = {
    "subject and object": (GROUP.replace('        object: "Step 4', '        subject: K2\n        object: "Step 4'), [
        "deck.yaml:17:17: a group shares its subject or its object, not both (give 'subject' when one subject "
        "relates to every member, 'object' when every member relates to one object)"]),
    "neither": (GROUP.replace('        object: "Step 4: guiding calcium into bone"\n', ""), [
        "deck.yaml:15:9: a group needs 'subject' or 'object': what every member shares (e.g. object: 'Step 4: "
        "guiding calcium into bone', which every member serves)"]),
    "one member": (GROUP.split("          - id: boron")[0].replace(", {boron} and more", ""), [
        "deck.yaml:21:11: a group needs at least two members (write a single one as a relationship: its two cards "
        "ask it both ways)"]),
    "the set names a stranger, twice a member, not another": (
        GROUP.replace("{magnesium}, {boron} and more", "{magnesium}, {zinc} and {magnesium}"), [
            "deck.yaml:19:14: the set does not name member 'boron' (write {boron} where the sentence names it)",
            "deck.yaml:19:14: the set names '{zinc}', which is no member of the group (its members are magnesium, "
            "boron)",
            "deck.yaml:19:14: the set names member 'magnesium' 2 times (name each member once, as {magnesium})"]),
    "a cloze of its own": (GROUP.replace("{magnesium},", "{{c1::magnesium}},"), [
        "deck.yaml:19:14: the set holds a cloze deletion of its own (write each member as {member id}: deckbuilder "
        "numbers the deletions from each 'n')"]),
    "a number and a cue used twice": (GROUP.replace("n: 2", "n: 1").replace(
        "cue: the often-overlooked mineral", "cue: the electrolyte boron helps you use"), [
        "deck.yaml:26:16: member 'magnesium' (line 21) already has deletion number 1 (give this member the next "
        "number no member of the group has used, ever)",
        "deck.yaml:28:18: member 'magnesium' (line 21) already has cue 'the electrolyte boron helps you use' (each "
        "cue must fit its member alone, or the card has two right answers)"]),
    "a retired member's number": (GROUP.replace("n: 2", "n: 7").replace(
        "        common:", "        retired:\n          - {id: zinc, n: 1}\n        common:"), [
        "deck.yaml:22:16: retired member 'zinc' (line 31) already has deletion number 1 (give this member the next "
        "number no member of the group has used, ever)"]),
    "reserved member id, answer with cloze marks": (GROUP.replace("id: boron", "id: set").replace(
        "{boron}", "{set}").replace("answer: boron", "answer: bo::ron"), [
        "deck.yaml:25:17: 'set' is not a member id: the group's 'set' card has it (choose another id)",
        "deck.yaml:27:21: the answer holds '::', which would break the set's cloze deletion (write the answer "
        "without it)"]),
    "a member's card id taken by a card": (GROUP.replace("      - id: first\n", "      - id: step4.boron\n"), [
        "deck.yaml:25:17: duplicate card id 'step4.boron' (first used at deck.yaml:11:13; ids must be unique in "
        "the deck (a group's cards have the ids '<group id>.set', '<group id>.<member id>' and "
        "'<group id>.common'))"]),
    "a dot in a group id": (GROUP.replace("id: step4\n", "id: step.4\n"), [
        "deck.yaml:15:13: 'step.4' is not a valid group id (use letters, digits, '-' or '_', starting with a "
        "letter or digit: a '.' joins a group's id to its members')"]),
}


def test_every_mistake_in_a_group_is_reported_at_its_place(in_tmp_path):
    for case, (text, expected) in BROKEN.items():
        (in_tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
        result = run("check", "deck.yaml")
        assert (result.exit_code, result.output.splitlines()[:-1]) == (1, expected), case


def test_a_group_grows_and_a_removed_member_keeps_its_number(in_tmp_path):
    (in_tmp_path / "deck.yaml").write_text(GROUP, encoding="utf-8")
    assert run("build", "deck.yaml", "-o", "out").exit_code == 0
    zinc = "          - {id: zinc, n: 2, answer: zinc, cue: the one named last}\n"
    members, rest = GROUP.split("          - id: boron")[0], GROUP.split("        common:")[1]
    without_boron = members + zinc + "        common:" + rest
    (in_tmp_path / "deck.yaml").write_text(without_boron.replace("{boron}", "{zinc}"), encoding="utf-8")
    assert run("check", "deck.yaml").output.splitlines() == [
        "deck.yaml:15:9: member 'boron' of group 'step4' is in the last build (demo.lock) but no longer in the "
        "group (list it under the group's 'retired:' as {id: boron, n: 2}, so that its deletion number is never "
        "given to another member)",
        "deck.yaml:25:27: deletion number 2 of group 'step4' asked for 'boron' in the last build (demo.lock) (give "
        "new member 'zinc' a number the group never used, e.g. 3: Anki keeps card 2's reviews)",
        "2 problems found; nothing was written."]
    fixed = without_boron.replace("{boron}", "{zinc}").replace("n: 2, answer: zinc", "n: 3, answer: zinc").replace(
        "        common:", "        retired:\n          - {id: boron, n: 2}\n        common:")
    (in_tmp_path / "deck.yaml").write_text(fixed, encoding="utf-8")
    plan = run("plan", "deck.yaml", "-o", "out").output.splitlines()
    assert plan[1] == "  Anki will add 1 note, update 4 (1 of them retired now) and leave 1 unchanged"
    assert "  + step4.zinc (new basic note, section s01-intro)" in plan
    assert plan[-1] == ("  ! c2 of step4.set ('boron') makes no card now: Anki keeps card 2 and its reviews as an "
                        "empty card (Tools > Empty Cards deletes it)")
    assert run("build", "deck.yaml", "-o", "out").exit_code == 0


def test_the_schema_lets_editors_complete_and_check_groups():
    import jsonschema
    import yaml

    from deckbuilder.source.cardformat import json_schema

    schema = json_schema()
    group = schema["properties"]["sections"]["items"]["properties"]["groups"]["items"]
    assert list(group["properties"]) == ["id", "subject", "object", "relation", "ask", "set", "members", "common",
                                         "retired", "kind", "extra", "tags", "lint"]
    jsonschema.validate(yaml.safe_load(GROUP), schema)
    bad = yaml.safe_load(GROUP.replace("cue: the often-overlooked mineral", "clue: the often-overlooked mineral"))
    assert not jsonschema.Draft7Validator(schema).is_valid(bad)
