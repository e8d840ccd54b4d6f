"""A relationship group → the cards it compiles to, every mistake at its place.

A group writes a one-to-many relation once ("magnesium, sodium, potassium, vitamin A and boron guide calcium
into bone"). It becomes notes of the built-in note types, so nothing new reaches Anki:

    <group>.set       cloze   the set sentence, member m as {{c<n>::answer}}: each member asked with the others shown
    <group>.<member>  basic   "<ask> — <cue>?" → answer: each member asked on its own, told apart by its cue
    <group>.common    basic   the `common` question (all members shown) → the shared subject or object

A member's deletion number `n` is written in the card file, never derived from its place in the list: moving
or removing a member can then never renumber a studied cloze card.
"""

from __future__ import annotations

import re
from pathlib import Path

from deckbuilder.model import AuthoredText, Card, Group, GroupMember
from deckbuilder.problems import Location, Problem
from deckbuilder.source.schema import Checked

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9][A-Za-z0-9_-]*)\}")
RESERVED_MEMBER_IDS = ("set", "common")
MAX_CLOZE_NUMBER = 500  # Anki's limit
CLOZE_MARKS = ("{{", "}}", "::")


def group_cards(group: Checked, section: str, folder: Path, deck_key: str, ignore: frozenset[str],
                ) -> tuple[Group | None, list[tuple[Card, Location]], list[Problem]]:
    """The group's record, its cards (each with where its id stands) and its problems; no cards if any."""
    problems = shared_side_problems(group)
    members = [member for member in group.get("members") or () if member is not None]
    retired = [member for member in group.get("retired") or () if member is not None]
    problems += member_problems(group, members, retired) + set_problems(group, members)
    if problems or not group.get("id") or any(group.get(key) is None for key in ("relation", "ask", "set")):
        return None, [], problems
    shared = "subject" if group.get("subject") is not None else "object"
    record = Group(group.get("id"), section, shared, group.get(shared), group.get("relation"),
                   tuple(GroupMember(m.get("id"), m.get("n"), m.get("answer"), m.place("n")) for m in members),
                   group.where, tuple(GroupMember(m.get("id"), m.get("n"), "", m.place("n")) for m in retired))
    make = CardMaker(group, record, section, folder, deck_key, ignore)
    cards = [make.set_card(members)] + [make.member_card(member) for member in members]
    if group.get("common") is not None:
        cards.append(make.common_card())
    return record, cards, []


def shared_side_problems(group: Checked) -> list[Problem]:
    given = [key for key in ("subject", "object") if key in group.values]
    if len(given) == 1:
        return []
    if given:
        return [Problem(group.place("object"), "a group shares its subject or its object, not both",
                        "give 'subject' when one subject relates to every member, 'object' when every member "
                        "relates to one object")]
    return [Problem(group.where, "a group needs 'subject' or 'object': what every member shares",
                    "e.g. object: 'Step 4: guiding calcium into bone', which every member serves")]


def member_problems(group: Checked, members: list[Checked], retired: list[Checked]) -> list[Problem]:
    """Fewer than two members; ids, numbers and cues used twice (a retired member's too); answers that would
    break the set cloze."""
    if "members" in group.values and len(group.get("members") or ()) < 2:
        return [Problem(group.place("members"), "a group needs at least two members",
                        "write a single one as a relationship: its two cards ask it both ways")]
    problems: list[Problem] = []
    seen: dict[tuple[str, object], Checked] = {}
    for member in retired + members:
        member_id = member.get("id")
        if member_id in RESERVED_MEMBER_IDS:
            problems.append(Problem(member.place("id"), f"'{member_id}' is not a member id: the group's "
                                    f"'{member_id}' card has it", "choose another id"))
        for key, what in (("id", "member id"), ("n", "deletion number"), ("cue", "cue")):
            value = member.get(key)
            first = seen.setdefault((key, value), member) if value is not None else member
            if first is not member:
                shown = value if key == "n" else f"'{value}'"
                who = "retired member" if any(first is other for other in retired) else "member"
                problems.append(Problem(member.place(key), f"{who} '{first.get('id')}' (line {first.where.line}) "
                                        f"already has {what} {shown}", hint_for(key)))
        problems += number_and_answer_problems(member)
    return problems


def hint_for(key: str) -> str:
    return {"id": "member ids are unique in their group",
            "n": "give this member the next number no member of the group has used, ever",
            "cue": "each cue must fit its member alone, or the card has two right answers"}[key]


def number_and_answer_problems(member: Checked) -> list[Problem]:
    problems = []
    if (member.get("n") or 0) > MAX_CLOZE_NUMBER:
        problems.append(Problem(member.place("n"), f"deletion number {member.get('n')} is over "
                                f"{MAX_CLOZE_NUMBER}", "Anki makes no cloze card past c500"))
    answer = member.get("answer") or ""
    mark = next((mark for mark in CLOZE_MARKS if mark in answer), None)
    if mark:
        problems.append(Problem(member.place("answer"), f"the answer holds '{mark}', which would break the "
                                "set's cloze deletion", "write the answer without it"))
    return problems


def set_problems(group: Checked, members: list[Checked]) -> list[Problem]:
    """The set must name every member once, in braces, and nothing else that way."""
    text = group.get("set")
    if text is None:
        return []
    where = group.place("set")
    if "{{" in text:
        return [Problem(where, "the set holds a cloze deletion of its own",
                        "write each member as {member id}: deckbuilder numbers the deletions from each 'n'")]
    named = PLACEHOLDER.findall(text)
    ids = [member.get("id") for member in members if member.get("id")]
    problems = [Problem(where, f"the set names '{{{name}}}', which is no member of the group",
                        f"its members are {', '.join(ids)}") for name in dict.fromkeys(named) if name not in ids]
    problems += [Problem(where, f"the set names member '{member_id}' {named.count(member_id)} times",
                         "name each member once, as {" + member_id + "}")
                 for member_id in ids if named.count(member_id) > 1]
    problems += [Problem(where, f"the set does not name member '{member_id}'",
                         f"write {{{member_id}}} where the sentence names it") for member_id in ids
                 if member_id not in named]
    return problems


class CardMaker:
    """Makes the cards of one checked group."""

    def __init__(self, group: Checked, record: Group, section: str, folder: Path, deck_key: str,
                 ignore: frozenset[str]):
        self.group, self.record, self.section, self.folder, self.ignore = group, record, section, folder, ignore
        own_tags = tuple(tag for tag in group.get("tags") or () if tag)
        self.tags = (*own_tags, f"{deck_key}::group::{record.id}")
        self.kind = group.get("kind") or "relationship"

    def text(self, checked: Checked, key: str, value: str | None = None) -> AuthoredText:
        return AuthoredText(checked.get(key) if value is None else value, checked.place(key))

    def card(self, part: str, card_type: str, fields: list, where: Location, member: Checked | None = None):
        extras = [member.get("extra")] if member is not None and member.get("extra") else []
        extras += [self.group.get("extra")] if self.group.get("extra") else []
        if extras:
            place = member.place("extra") if member is not None and member.get("extra") else self.group.place("extra")
            fields.append(("extra", AuthoredText("\n\n".join(extras), place)))
        card = Card(self.record.card_id(part), card_type, self.kind, self.section, tuple(fields), self.tags, where,
                    self.folder, where, self.ignore)
        return card, where

    def set_card(self, members: list[Checked]) -> tuple[Card, Location]:
        by_id = {member.get("id"): member for member in members}
        text = PLACEHOLDER.sub(lambda match: "{{c%d::%s}}" % (by_id[match.group(1)].get("n"),
                                                              by_id[match.group(1)].get("answer")),
                               self.group.get("set"))
        return self.card("set", "cloze", [("text", self.text(self.group, "set", text))], self.group.place("set"))

    def member_card(self, member: Checked) -> tuple[Card, Location]:
        question = f"{self.group.get('ask').rstrip().rstrip('?')} — {member.get('cue').strip()}?"
        fields = [("front", self.text(member, "cue", question)), ("back", self.text(member, "answer"))]
        return self.card(member.get("id"), "basic", fields, member.place("id"), member)

    def common_card(self) -> tuple[Card, Location]:
        fields = [("front", self.text(self.group, "common")), ("back", self.text(self.group, self.record.shared))]
        return self.card("common", "basic", fields, self.group.place("common"))
