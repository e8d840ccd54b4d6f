"""Anki's own importer and renderer, as the tests use them: what Anki makes of a package."""

from __future__ import annotations

from pathlib import Path

from deckbuilder.anki.notetypes import stylesheet


def import_package(col, path: Path):
    """Import an .apkg with Anki's own importer and default options; returns Anki's import log."""
    from anki.collection import ImportAnkiPackageRequest

    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path))).log
    col.models._clear_cache()  # the Python-side note type cache is stale after an import
    return log


def without_style(rendered: str, css: str | None = None) -> str:
    """Anki's card.question()/answer() minus the <style> block it puts first, which must be the note type's CSS
    (`css`; default card.css)."""
    style = f"<style>{stylesheet() if css is None else css}</style>"
    assert rendered.startswith(style), f"Anki's rendering does not start with the CSS: {rendered[:200]!r}"
    return rendered[len(style):]


def add_note_type(col, note_type) -> dict:
    """A deckbuilder NoteType made in the collection with Anki's own API; returns Anki's note type."""
    models = col.models
    model = models.new(note_type.name)
    model["css"] = note_type.card_css
    model["type"] = 1 if note_type.is_cloze else 0
    for name in note_type.fields:
        models.add_field(model, models.new_field(name))
    for template in note_type.templates:
        made = models.new_template(template.name)
        made["qfmt"], made["afmt"] = template.front, template.back
        models.add_template(model, made)
    models.add(model)
    return models.by_name(note_type.name)


def cards_anki_makes(col, note) -> list[int]:
    """The ordinals of the cards Anki's own card generation makes for a note with these fields and tags, added
    afresh (an import keeps the cards a package brings, so this is what a package must bring)."""
    fresh = col.new_note(note.note_type())
    for name, value in note.items():
        fresh[name] = value
    fresh.tags = list(note.tags)
    col.add_note(fresh, col.decks.id_for_name("Cards Anki makes"))
    ords = sorted(card.ord for card in fresh.cards())
    col.remove_notes([fresh.id])
    return ords


def anki_rendering(col, package: Path) -> dict[tuple[str, int], dict]:
    """(note GUID, card ordinal) → Anki's front, back and sound files for every card of the package."""
    import_package(col, package)
    rendered = {}
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        rendered[card.note().guid, card.ord] = {
            "front": without_style(card.question()), "back": without_style(card.answer()),
            "front sounds": tuple(tag.filename for tag in card.question_av_tags()),
            "back sounds": tuple(tag.filename for tag in card.answer_av_tags()),
        }
    return rendered


def import_as_ankiconnect(col, path: Path):
    """Import an .apkg as AnkiConnect's importPackage does (ANKI_FACTS.md): merging note types, with scheduling and
    deck presets; returns Anki's import log."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    options = ImportAnkiPackageOptions(merge_notetypes=True, with_scheduling=True, with_deck_configs=True)
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options)).log
    col.models._clear_cache()
    return log


def log_counts(log) -> dict[str, int]:
    """What Anki's import log says, by kind."""
    return {kind: len(getattr(log, kind)) for kind in ("new", "updated", "duplicate", "conflicting",
                                                        "first_field_match", "missing_notetype", "missing_deck",
                                                        "empty_first_field")}


def collection_state(col, note_type_mods: bool = True) -> dict:
    """Everything an import could change: notes (GUID → note type, mod, fields, tags), cards (with their deck and
    scheduling), the review log, decks with their descriptions, note types whole (without their mod and usn unless
    `note_type_mods`), the schema stamp a full sync goes by."""
    col.models._clear_cache()
    notes = {guid: (mid, mod, usn, fields, tags, flags) for guid, mid, mod, usn, fields, tags, flags in col.db.all(
        "select guid, mid, mod, usn, flds, tags, flags from notes")}
    cards = {(guid, ord_): rest for guid, ord_, *rest in col.db.all(
        "select n.guid, c.ord, c.did, c.odid, c.ivl, c.due, c.type, c.queue, c.reps, c.lapses, c.factor, c.mod "
        "from cards c join notes n on n.id = c.nid")}
    types = {model["id"]: {key: value for key, value in model.items()
                           if note_type_mods or key not in ("mod", "usn")} for model in col.models.all()}
    return {"notes": notes, "cards": cards, "revlog": col.db.all("select * from revlog order by id"),
            "decks": {deck["id"]: (deck["name"], deck.get("desc", "")) for deck in col.decks.all()},
            "note types": types, "scm": col.db.scalar("select scm from col")}
