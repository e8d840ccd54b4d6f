"""The preview: one static HTML page per deck showing every card, front and back, as Anki shows it.

The page is `<deck key>.preview.html` beside the deck's package, with the deck's media copied into
`<deck key>.media/` (the page's base URL, as Anki's media folder is the base URL of its cards). Each card
face lives in its own shadow root with card.css, so the page's own styling and the card's cannot touch
each other; card.css's width queries become container queries, so the phone/desktop switch works.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from deckbuilder.anki.notetypes import NOTE_TYPES
from deckbuilder.anki.templates import CardContext, Face, Speech, render_note
from deckbuilder.compiler.map import map_section
from deckbuilder.compiler.media import MediaFile
from deckbuilder.compiler.note import CompiledDeck, CompiledNote
from deckbuilder.problems import OutputError, display_path
from deckbuilder.write.atomic import copy_atomically, write_atomically
from deckbuilder.write.output import Written

TYPE_ANSWER = re.compile(r"\[\[type:(.+?)\]\]")
PLAY = re.compile(r"\[anki:play:[qa]:(\d+)\]")
TAG = re.compile(r"<[^>]*>")
WIDTH_QUERY = re.compile(r"@media\s*(\((?:max|min)-width)")
PLACEHOLDER = re.compile(r"__(TITLE|BASE|DATA)__")


def page_path(output: Path, deck_key: str) -> Path:
    return output / f"{deck_key}.preview.html"


def media_folder(output: Path, deck_key: str) -> Path:
    return output / f"{deck_key}.media"


def reviewer_view(face: Face, fields: dict[str, str], question: bool) -> str:
    """What Anki's reviewer puts in place of the placeholders card.question() leaves in a face:
    an answer box for {{type:…}} (on the back, the expected answer, as when nothing was typed)
    and a player for each sound."""

    def type_answer(match: re.Match) -> str:
        if question:
            return '<input type="text" id="typeans" placeholder="type the answer" aria-label="type the answer">'
        expected = html.unescape(TAG.sub("", fields.get(match.group(1), "")))
        return f'<code id="typeans">{html.escape(expected)}</code>'

    def player(match: re.Match) -> str:
        number = int(match.group(1))
        if number >= len(face.sounds):  # the author's own text, not Anki's placeholder
            return match.group(0)
        sound = face.sounds[number]
        if isinstance(sound, Speech):  # Anki reads it aloud; the page's script has the browser do so
            return (f'<button type="button" class="preview-tts" data-lang="{html.escape(sound.lang)}" '
                    f'data-text="{html.escape(sound.text)}" aria-label="read aloud">🔊</button>')
        return f'<audio controls preload="none" src="{html.escape(sound)}"></audio>'

    return PLAY.sub(player, TYPE_ANSWER.sub(type_answer, face.html))


def card_entries(note: CompiledNote, deck: CompiledDeck) -> list[dict]:
    """The note's cards as the page shows them: which card, its front and its back."""
    note_type = (deck.note_types or NOTE_TYPES)[note.note_type]
    fields = dict(zip(note_type.fields, note.fields, strict=True))
    elsewhere = dict(note.card_subdecks)  # {{Deck}} is each card's own
    cards = [card for ord_ in note.card_ords for card in render_note(note_type, note.fields, CardContext(
        note.tags, deck.subdeck_name(elsewhere.get(ord_, note.subdeck)), note_type.name), (ord_,))]
    return [{"note": note.card_id, "type": note.note_type, "card": card.name, "ord": card.ord,
             "tags": list(note.tags),
             "front": reviewer_view(card.front, fields, question=True),
             "back": reviewer_view(card.back, fields, question=False)}
            for card in cards]


def page_data(deck: CompiledDeck) -> dict:
    """Everything the page's script needs: each note type's CSS, and the cards by section, each section with
    its map."""
    titles = dict(deck.section_titles)
    maps = {section: file.name for file in deck.media if (section := map_section(file.name, deck.key))}
    types = deck.note_types or NOTE_TYPES
    sheets: dict[str, int] = {}  # each CSS once: deckbuilder's five note types share theirs
    sections: dict[str, dict] = {}
    for note in deck.notes:
        section = sections.setdefault(note.section, {"id": note.section, "title": titles.get(note.section, ""),
                                                      "map": maps.get(note.section), "cards": []})
        sheet = sheets.setdefault(types[note.note_type].card_css, len(sheets))
        section["cards"] += [{**entry, "css": sheet} for entry in card_entries(note, deck)]
    return {"css": [card_css(text) for text in sheets], "sections": list(sections.values())}


def card_css(stylesheet: str) -> str:
    """A note type's CSS for a card in a shadow root: inheriting nothing from the page, and sizing its phone
    layout by the card's width instead of the window's."""
    return (":host { all: initial; display: block; }\n.viewport { container-type: inline-size; }\n"
            + WIDTH_QUERY.sub(r"@container \1", stylesheet))


@lru_cache(maxsize=1)
def page_template() -> str:
    return files("deckbuilder.authoring").joinpath("preview.html").read_text(encoding="utf-8")


def page_html(deck: CompiledDeck) -> str:
    """The whole page: chrome, script and the deck's data as JSON that no card text can break out of."""
    data = json.dumps(page_data(deck), ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    base = quote(media_folder(Path(), deck.key).name) + "/"
    values = {"TITLE": html.escape(deck.name), "BASE": html.escape(base), "DATA": data}
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], page_template())


def sync_media(media: tuple[MediaFile, ...], folder: Path) -> None:
    """Make `folder` hold exactly the deck's media: names carry a content hash, so a file there is current."""
    wanted = {file.name: file for file in media}
    if folder.is_dir():
        for stale in folder.iterdir():
            if stale.name not in wanted and stale.is_file():
                stale.unlink()
    elif not wanted:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for name, file in wanted.items():
        if (folder / name).is_file():
            continue
        if file.content is not None:  # made by deckbuilder (the map)
            write_atomically(folder / name, file.content)
        else:
            copy_atomically(file.path, folder / name)


def write_preview(deck: CompiledDeck, output: Path) -> Path:
    """Write the deck's preview page and media into `output`; returns the page's path."""
    output.mkdir(parents=True, exist_ok=True)
    sync_media(deck.media, media_folder(output, deck.key))
    target = page_path(output, deck.key)
    write_atomically(target, page_html(deck).encode("utf-8"))
    return target


def write_previews(decks: list[CompiledDeck], output: Path) -> list[Written]:
    """Write every deck's preview; a folder that cannot be written is an OutputError."""
    written = []
    for deck in decks:
        try:
            written.append(Written(deck, write_preview(deck, output)))
        except OSError as error:
            target = page_path(output, deck.key)
            raise OutputError(f"cannot write {display_path(target)}: {error.strerror or error}") from error
    return written
