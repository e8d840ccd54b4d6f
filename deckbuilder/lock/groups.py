"""A group's deletion numbers against the last build: a number, once studied, belongs to its member forever.

Anki keeps a cloze card's reviews with its number. If a new member took the number of a removed one, the
learner's card n, with the removed member's history, would ask the new member. So a member removed from a
group must stay listed under the group's `retired:`, and a new member may not take a number the last build's
set cloze used.
"""

from __future__ import annotations

from pathlib import Path

from deckbuilder.anki import cloze
from deckbuilder.lock.records import Lock
from deckbuilder.model import Deck, Group
from deckbuilder.problems import Problem, display_path


def group_number_problems(deck: Deck, lock: Lock | None, lock_file: Path) -> list[Problem]:
    """Members removed without a trace, and new members that take a number the last build used."""
    if lock is None:
        return []
    problems = []
    for group in deck.groups:
        old_set = lock.notes.get(group.card_id("set"))
        numbers = set_numbers(old_set.named_fields().get("Text", "")) if old_set is not None else {}
        problems += removed_members(group, lock, numbers, lock_file)
        for member in group.members:
            if group.card_id(member.id) not in lock.notes and member.n in numbers:
                problems.append(Problem(member.where, f"deletion number {member.n} of group '{group.id}' asked for "
                                        f"'{numbers[member.n]}' in the last build ({display_path(lock_file)})",
                                        f"give new member '{member.id}' a number the group never used, e.g. "
                                        f"{next_number(group, numbers)}: Anki keeps card {member.n}'s reviews"))
    return problems


def removed_members(group: Group, lock: Lock, numbers: dict[int, str], lock_file: Path) -> list[Problem]:
    """Members the last build had that the group neither lists nor keeps under `retired:`."""
    listed = {member.id for member in (*group.members, *group.retired)} | {"set", "common"}
    prefix = group.card_id("")
    problems = []
    for card_id, note in sorted(lock.notes.items()):
        member_id = card_id[len(prefix):]
        if not card_id.startswith(prefix) or member_id in listed or note.note_type != "basic":
            continue
        answer = note.named_fields().get("Back", "")
        n = next((number for number, text in sorted(numbers.items()) if text == answer), None)
        entry = f"{{id: {member_id}, n: {n}}}" if n is not None else f"{{id: {member_id}, n: <its number>}}"
        problems.append(Problem(group.where, f"member '{member_id}' of group '{group.id}' is in the last build "
                                f"({display_path(lock_file)}) but no longer in the group",
                                f"list it under the group's 'retired:' as {entry}, so that its deletion number "
                                "is never given to another member"))
    return problems


def set_numbers(text: str) -> dict[int, str]:
    """The deletion numbers of a set cloze's text → the text each one asked for."""
    return {number: answer for answer, numbers in cloze.answers(text).items() for number in numbers}


def next_number(group: Group, numbers: dict[int, str]) -> int:
    return max([*numbers, *(member.n for member in (*group.members, *group.retired))]) + 1
