"""What an import writes reads back as it was written: any text a card file can hold (and any name, tag or setting),
whatever YAML makes of its characters, comes back from the card file loader and checker exactly. The import relies
on it: it reads back its main card file only (property tests, hypothesis)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from deckbuilder.importing.yamltext import Flow, FlowMap, document
from deckbuilder.source.cardformat import FIELD_NAME_PATTERN, TAG_PATTERN
from deckbuilder.source.schema import CONTROL_CHARACTER
from deckbuilder.source.validate import read_part

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Any text but what a card file cannot hold at all (control characters but tab and line breaks), weighted towards
# what YAML gives meaning to.
YAML_MEANINGFUL = st.sampled_from(list(":#&*!|>'\"%@`-?,[]{}~\\ \t\n\r\x85\u2028\u2029\ufeff\ufffe") +
                                  ["null", "yes", "No", "1.10", "0x1f", "2001-01-01", "<<", "=", "---", "...",
                                   "{{c1::a}}", "<b>", "&amp;", "- ", ": ", " #"])
TEXT = st.lists(st.one_of(st.text(max_size=8), YAML_MEANINGFUL), max_size=8).map("".join).map(
    lambda text: CONTROL_CHARACTER.sub("", text)).filter(bool)
FIELD_NAME = TEXT.filter(lambda text: re.fullmatch(FIELD_NAME_PATTERN, text) is not None)
TAG = TEXT.filter(lambda text: re.fullmatch(TAG_PATTERN, text) is not None)
NAME = TEXT.filter(str.strip)  # a name, a GUID, a setting: never white space alone, in Anki either


def card_file(fields: dict[str, str], tags: list[str], font: str, template: str) -> dict:
    return {"deck": {"key": "round", "name": "Round", "source": {"title": "t"}, "automatic_tags": False},
            "note_types": [{"id": "own", "name": template, "markup": "html",
                            "fields": [FlowMap({"name": name, "font": font}) for name in fields],
                            "templates": [{"name": template, "front": "{{" + next(iter(fields)) + "}}",
                                           "back": template}]}],
            "sections": [{"id": "s", "title": template, "cards": [
                {"id": "c", "guid": template, "type": "own", "tags": Flow(tags), "fields": fields}]}]}


@SETTINGS
@given(texts=st.lists(TEXT, min_size=1, max_size=4), names=st.lists(FIELD_NAME, min_size=4, max_size=4, unique=True),
       tags=st.lists(TAG, max_size=4, unique=True), font=NAME, other=NAME)
@example(texts=[" lead\ntrail \n", "x\n\n\n", "\ta", "a\r\nb"], names=["F", "- &a *b !!c", "x y", "ü"],
         tags=["a::b", "x#y", "[z]"], font="Noto Serif", other="a: b\n- c # d")
def test_what_an_import_writes_reads_back_exactly(tmp_path_factory, texts, names, tags, font, other):
    fields = dict(zip(names, texts))
    path = tmp_path_factory.mktemp("yaml") / "round.yaml"
    path.write_text(document(card_file(fields, tags, font, other), ["a comment"]), encoding="utf-8")
    part, problems = read_part(path)
    assert problems == []
    [section] = part.sections
    [(card, _)] = section.cards
    [note_type] = part.note_types
    assert {name: text.value for name, text in card.fields} == fields
    assert (list(card.tags), card.guid, section.title) == (tags, other, other)
    assert (note_type.name, note_type.templates[0].back.value) == (other, other)
    assert [(field.name, field.font) for field in note_type.fields] == [(name, font) for name in fields]
