"""Anki's template filters, {{filter:Field}}, as rslib/src/template_filters.rs applies them.

Filters apply from the one nearest the field outwards. A filter Anki does not know (an add-on's) ends the
filtering: Anki hands it and the filters after it to add-ons, and without the add-on the text stays as
the filters before it left it. tests/anki/test_templates.py holds each one against Anki's own rendering.
"""

from __future__ import annotations

import re
from html.entities import name2codepoint

from deckbuilder.anki import cloze

# Anki's strip_html: comments, style and script elements, then every tag.
HTML = re.compile(r"(<!--.*?-->)|(<style.*?>.*?</style>)|(<script.*?>.*?</script>)|(<.*?>)", re.DOTALL | re.IGNORECASE)
FURIGANA = re.compile(r" ?([^ >]+?)\[(.+?)\]")
ENTITY = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9A-Fa-f]+)|([A-Za-z0-9]+));|&(?=[#A-Za-z0-9])")


def decode_entities(text: str) -> str:
    """HTML 4's character references decoded, as the Rust crate Anki uses does: any reference it cannot read
    (an unknown name, a bad number, a missing ';') leaves the whole text as it was."""
    if "&" not in text:
        return text
    failed = False

    def decoded(match: re.Match) -> str:
        nonlocal failed
        decimal, hexadecimal, name = match.groups()
        code = int(decimal) if decimal else int(hexadecimal, 16) if hexadecimal else name2codepoint.get(name)
        if code is None or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            failed = True
            return match.group(0)
        return chr(code)

    result = ENTITY.sub(decoded, text)
    return text if failed else result.replace("\xa0", " ")


def strip_html(text: str) -> str:
    return decode_entities(HTML.sub("", text))


def ruby(text: str, show) -> str:
    def replace(match: re.Match) -> str:
        return match.group(0) if match.group(2).startswith("sound:") else show(match.group(1), match.group(2))

    return FURIGANA.sub(replace, text.replace("&nbsp;", " "))


def hint(text: str, field: str) -> str:
    if not text.strip():
        return text
    import blake3

    digest = blake3.blake3(text.encode("utf-8"))
    digest.update(field.encode("utf-8"))
    hint_id = digest.digest()[:8].hex()
    return (f'\n<a class=hint href="#"\nonclick="this.style.display=\'none\';\n'
            f"document.getElementById('hint{hint_id}').style.display='block';\nreturn false;\" draggable=false>\n"
            f'{field}</a>\n<div id="hint{hint_id}" class=hint style="display: none">{text}</div>\n')


def cloze_only(text: str, number: int, question: bool) -> str:
    """{{cloze-only:Field}}: the hints (question) or answers of card `number`'s deletions, joined by ', '."""
    shown = [(deletion.hint if deletion.hint is not None else "...") if question else deletion.answer()
             for deletion in cloze.deletions(cloze.parse(text)) if number in deletion.numbers]
    return ", ".join(shown)


def apply_filter(name: str, text: str, field: str, ord_: int, question: bool) -> str | None:
    """The text after one filter; None for a filter Anki does not know."""
    simple = {"text": strip_html, "kanji": lambda t: ruby(t, lambda rb, rt: rb),
              "kana": lambda t: ruby(t, lambda rb, rt: rt), "": str,
              "furigana": lambda t: ruby(t, lambda rb, rt: f"<ruby><rb>{rb}</rb><rt>{rt}</rt></ruby>")}
    if name in simple:
        return simple[name](text)
    if name in ("type", "type-cloze", "type-nc"):
        kind = name[len("type-"):] + ":" if name != "type" else ""
        return f"[[type:{kind}{field}]]"
    if name == "hint":
        return hint(text, field)
    if name == "cloze":
        return cloze.cloze_filter(text, ord_ + 1, question)
    if name == "cloze-only":
        return cloze_only(text, ord_ + 1, question)
    if name.startswith("tts "):
        return f"[anki:tts lang={name[len('tts '):]}]{text}[/anki:tts]"
    return None


def apply_filters(text: str, filters: tuple[str, ...], field: str, ord_: int, question: bool) -> str:
    """The field's text after its filters, in the order they apply."""
    if filters in (("cloze", "type"), ("nc", "type")):
        filters = (f"type-{filters[-2]}",)
    elif filters[-1:] == ("type",):
        filters = ("type",)
    for name in filters:
        filtered = apply_filter(name, text, field, ord_, question)
        if filtered is None:
            break  # Anki hands this filter and the rest to add-ons
        text = filtered
    return text

