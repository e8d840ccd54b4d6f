"""`deckbuilder plan`'s words: what a re-import will do, as text for people and JSON for machines."""

from __future__ import annotations

import json
from dataclasses import asdict

from deckbuilder.lock.reimport import NoteUpdate, Reimport
from deckbuilder.lock.release import retired_tag
from deckbuilder.terminal import plural

NOTE_TYPE_CHANGES = {
    "new": "new to this deck's package",
    "in place": "templates or CSS changed: Anki updates the note type in place",
    "schema": "fields or templates added, removed or renamed: Anki adds a copy of the note type and does not "
              "update its notes unless 'Merge note types' is ticked when importing",
    "kind": "standard became cloze or back: Anki changes it in place, and its cards keep their reviews by number",
}


def plan_lines(plan: Reimport, package: str, lock: str, since: str | None = None) -> list[str]:
    """What importing `package` will do in a collection that has the deck's last build (or the release
    `since` names)."""
    counts = plan.anki_counts()
    lines = [f"{plan.key}: {plan.name} → {package}"]
    if since is not None:
        lines.append(f"  compared with {lock} as committed at {since}: what learners of that release will see")
    if plan.first_build:
        lines.append(f"  first build (no {lock}): every note is new to Anki")
    retiring = f" ({len(plan.retired)} of them retired now)" if plan.retired else ""
    lines.append(f"  Anki will add {plural(counts['new'], 'note')}, update {counts['updated']}{retiring} and leave "
                 f"{counts['unchanged']} unchanged")
    if plan.renamed_from is not None:
        lines.append(f"  deck renamed from '{plan.renamed_from}': Anki matches decks by name, so importing makes a "
                     f"new deck '{plan.name}' for new cards; cards already imported stay in '{plan.renamed_from}'")
    lines += [f"  + {note.card_id} (new {note.note_type} note, section {note.section})" for note in plan.new]
    for update in sorted(plan.updated, key=lambda update: update.retired):
        lines += update_lines(update, plan.key)
    lines += [f"  > {move.card_id} moved to '{move.new}': Anki never moves cards on import, so learners who have it "
              f"keep its cards in '{move.old}'; new learners get them in '{move.new}'" for move in plan.moved]
    lines += [f"  ! cloze renumbered in {move.card_id}: '{move.text}' was c{move.old}, now c{move.new}. "
              f"{renumbered_history(move)}" for move in plan.renumbered]
    lines += [f"  ! c{gone.number} of {gone.card_id} ('{gone.text}') makes no card now: Anki keeps card {gone.number} "
              "and its reviews as an empty card (Tools > Empty Cards deletes it)" for gone in plan.emptied]
    if plan.still_retired:
        lines.append(f"  {plural(plan.still_retired, 'retired note')} still in the package, tagged "
                     f"{retired_tag(plan.key)} (deckbuilder build --prune-retired drops them)")
    lines += [f"  x {card_id} dropped from the package (retired; users' copies stay until they delete them)"
              for card_id in plan.pruned]
    lines += [f"  note type {change.name}: {NOTE_TYPE_CHANGES[change.change]}" for change in plan.note_types
              if change.change != "new" or not plan.first_build]
    return lines


def renumbered_history(move) -> str:
    """Anki keeps a cloze card's reviews with its number, whatever the number asks after the edit."""
    if move.old_now_asks is None:
        return (f"The reviews of card {move.old} stay with c{move.old}, which makes no card now: Anki keeps it "
                "as an empty card (Tools > Empty Cards)")
    return f"The reviews of card {move.old} stay with c{move.old}, which now asks for '{move.old_now_asks}'"


def update_lines(update: NoteUpdate, deck_key: str) -> list[str]:
    if update.retired:
        return [f"  - {update.card_id} removed from the source: Anki keeps it, now with a notice and the tag "
                f"{retired_tag(deck_key)}"]
    same = "" if update.fields or update.tags or update.media else (
        " (the same text, sent again: it was changed and changed back; restore the lock file with the cards to send "
        "nothing)")
    lines = [f"  ~ {update.card_id}{same}"]
    for field in update.fields:
        lines += [f"      {field.name}:", f"        - {one_line(field.old)}", f"        + {one_line(field.new)}"]
    if update.tags is not None:
        old, new = update.tags
        lines += ["      tags:", f"        - {' '.join(old)}", f"        + {' '.join(new)}"]
    for name in update.media:
        lines.append(f"      media file '{name}': changed (where Anki has the old one, it keeps both and the note "
                     "shows the new one under a name Anki gives it)")
    return lines


def one_line(text: str) -> str:
    return text.replace("\n", "\\n") if text else "(empty)"


def plan_json(plans: list[tuple[Reimport, str, str]]) -> str:
    decks = []
    for plan, package, lock in plans:
        data = asdict(plan)
        data.update(package=package, lock=lock, anki=plan.anki_counts(), retired=list(plan.retired))
        decks.append(data)
    return json.dumps({"decks": decks}, indent=2, ensure_ascii=False) + "\n"
