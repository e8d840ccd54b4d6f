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


def without_style(rendered: str) -> str:
    """Anki's card.question()/answer() minus the <style> block it puts first, which must be card.css."""
    style = f"<style>{stylesheet()}</style>"
    assert rendered.startswith(style), f"Anki's rendering does not start with card.css: {rendered[:200]!r}"
    return rendered[len(style):]


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
