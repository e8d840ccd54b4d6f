"""The JSON Schema: exported from the same declaration that checks files, and kept in sync with cards/."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from deckbuilder.source.cardformat import SCHEMA_FILE_NAME, json_schema, json_schema_text
from deckbuilder.cli.main import main
from tests.support.decks import ARTICLE_DECK, MINIMAL_DECK, OWN_TYPES_DECK, PROJECT

SHIPPED_SCHEMA = PROJECT / "cards" / SCHEMA_FILE_NAME


def test_schema_command_prints_the_schema():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == json_schema()


def test_shipped_schema_file_is_current():
    assert SHIPPED_SCHEMA.read_text(encoding="utf-8") == json_schema_text(), (
        "run: deckbuilder schema > cards/deckbuilder.schema.json")


def test_schema_is_valid_json_schema():
    jsonschema.Draft7Validator.check_schema(json_schema())


def test_shipped_card_files_point_editors_at_the_schema():
    for path in (PROJECT / "cards").glob("*.yaml"):
        assert path.read_text(encoding="utf-8").startswith(f"# yaml-language-server: $schema={SCHEMA_FILE_NAME}\n")


@pytest.mark.parametrize("text", [ARTICLE_DECK.read_text(encoding="utf-8"), MINIMAL_DECK, OWN_TYPES_DECK,
                                  "deck: demo\nsections:\n  - id: s01-intro\n    cards:\n"
                                  "      - {id: x, type: cloze, text: '{{c1::a}}'}\n"])
def test_valid_files_pass_the_json_schema(text):
    jsonschema.validate(yaml.safe_load(text), json_schema())


@pytest.mark.parametrize("change", [
    ("back: One", "bakc: One"),  # unknown key
    ("back: One", "back: [One]"),  # wrong type
    ("key: demo", "key: Demo Deck"),  # bad key
    ("      - id: first\n", "      - id: first\n        type: clozed\n"),  # unknown type
    ("      - id: first\n        front: What is first?\n        back: One\n",
     "      - id: first\n        type: cloze\n        front: What is first?\n"),  # basic keys on a cloze card
    ("      - id: first\n        front: What is first?\n",
     "      - id: first\n        type: vocab\n        fields: {Word: x}\n        front: What is first?\n"),
    ("sections:", "note_types:\n  - {id: vocab, name: V, fields: [Word], templates: [{name: R, front: x}]}\n"
                  "sections:"),  # a template without its back
    ("    title: Intro\n", "    title: Intro\n    subdeck: [Sub]\n"),
])
def test_files_deckbuilder_rejects_the_json_schema_rejects_too(tmp_path, change):
    from deckbuilder.pipeline.build import read_decks
    from deckbuilder.problems import ContentError

    text = MINIMAL_DECK.replace(*change)
    (tmp_path / "deck.yaml").write_text(text)
    with pytest.raises(ContentError):
        read_decks([tmp_path / "deck.yaml"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(text), json_schema())
