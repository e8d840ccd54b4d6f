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
