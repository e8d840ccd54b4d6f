"""A card's field as Anki gets it: the one place where authored text becomes a note's HTML.

The compiler fills notes with it, and lint reads the same HTML, media and problems, so what lint judges
is what learners see.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import NamedTuple

from deckbuilder.compiler.activecontent import OPT_IN, active_content
from deckbuilder.compiler.markdown import to_html
from deckbuilder.compiler.media import MediaFile, link_media
from deckbuilder.model import AuthoredText
from deckbuilder.problems import Problem


class RenderedField(NamedTuple):
    """A field's HTML, the media files it shows, and what is wrong with it. A named tuple: one is made for
    every field of every card, and a tuple is several times quicker to make than a frozen dataclass."""

    html: str
    media: tuple[MediaFile, ...] = ()
    media_problems: tuple[Problem, ...] = ()  # files missing or not allowed
    html_problems: tuple[Problem, ...] = ()  # invalid HTML; scripts in a deck that does not allow them

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.media_problems + self.html_problems


def is_plain_text(card_type: str, key: str) -> bool:
    """Whether a field is kept as plain text: Anki compares the typed answer with the type-in back's text,
    and Markdown would turn "__init__" bold."""
    return card_type == "type-in" and key == "back"


def render_field(card_type: str, key: str, text: AuthoredText, folder: Path, deck_folder: Path,
                 allow_scripts: bool, markdown: bool = True, missing: frozenset[str] = frozenset()) -> RenderedField:
    """The field `key` of a card of `card_type` as HTML: Markdown rendered, media linked (paths relative to
    the card file's `folder`, inside `deck_folder`), and checked. A field of a note type whose fields are HTML
    (`markdown` false) is kept exactly as written: its media are named as in Anki's media folder, and the
    `missing` names (the deck's missing_media) need no file."""
    if is_plain_text(card_type, key):
        return RenderedField(html.escape(text.value.strip(), quote=False))
    if not markdown:
        return checked_html(text.value, text, folder, deck_folder, allow_scripts, keep_names=True, missing=missing)
    return checked_html(to_html(text.value), text, folder, deck_folder, allow_scripts)


def checked_html(rendered: str, text: AuthoredText, folder: Path, deck_folder: Path,
                 allow_scripts: bool, keep_names: bool = False, missing: frozenset[str] = frozenset()) -> RenderedField:
    import genanki

    linked, files, media_problems = link_media(rendered, folder, deck_folder, keep_names, missing)
    problems = []
    # HTML kept as written goes to Anki as it is, as Anki keeps it; Markdown that renders to a stray '<' is a slip.
    invalid = not keep_names and genanki.Note._find_invalid_html_tags_in_field(linked)
    if invalid:
        problems.append(Problem(text.where, f"invalid HTML: {' '.join(invalid)}",
                                "write a '<' that does not start a tag as '&lt;'"))
    if not allow_scripts:
        problems += [Problem(text.where, f"this field holds {what}", OPT_IN) for what in active_content(linked)]
    return RenderedField(linked, tuple(files),
                         tuple(Problem(text.where, problem.message, problem.hint) for problem in media_problems),
                         tuple(problems))
