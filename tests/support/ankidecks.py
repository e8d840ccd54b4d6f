"""Real Anki collections made with Anki's own library, the way a learner's grows, and exported every way Anki
exports: what the import tests read back and compare."""

from __future__ import annotations

import shutil
import struct
import unicodedata
import zlib
from pathlib import Path


FAKE_MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x0f" + b"\xff\xfb\x90\x00" + bytes(range(256)) * 4
CUSTOM_CSS = """.card { font-family: "Noto Serif", serif; font-size: 22px; }
.example { color: #555; font-style: italic; }
.nightMode .example { color: #aaa; }
"""
RECOGNITION = ('<div class="word">{{Word}}</div>\n{{#Example}}<div class="example">{{Example}}</div>{{/Example}}',
               "{{FrontSide}}\n<hr id=answer>\n{{Meaning}}\n{{^Example}}<i>(no example yet)</i>{{/Example}}")
PRODUCTION = ("{{#Meaning}}{{Meaning}}{{/Meaning}}", "{{FrontSide}}<hr id=answer>{{Word}}{{#Audio}}<br>{{Audio}}{{/Audio}}")
# Each export: (file name, Anki's options) for ExportAnkiPackageOptions; the .colpkg ones are whole collections.
EXPORTS = {
    "modern.apkg": dict(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False),
    "legacy.apkg": dict(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=True),
    "modern-nosched.apkg": dict(with_scheduling=False, with_deck_configs=False, with_media=True, legacy=False),
    "legacy-nosched.apkg": dict(with_scheduling=False, with_deck_configs=False, with_media=True, legacy=True),
}
COLPKGS = {"modern.colpkg": False, "legacy.colpkg": True}


def png(red: int, green: int, blue: int) -> bytes:
    """A real 4×4 PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    pixels = zlib.compress(b"".join(b"\x00" + bytes([red, green, blue]) * 4 for _ in range(4)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


MEDIA = {"red dot.png": png(255, 0, 0), "blauer_Punkt_ü.png": png(0, 0, 255), "hello world.mp3": FAKE_MP3}


def add(col, notetype: str, fields: dict[str, str], deck: str, tags: list[str]) -> int:
    note = col.new_note(col.models.by_name(notetype))
    for name, value in fields.items():
        note[name] = value
    note.tags = tags
    col.add_note(note, col.decks.id(deck))
    return note.id


def move_card(col, nid: int, ord_: int, deck: str) -> None:
    card = next(card for card in col.get_note(nid).cards() if card.ord == ord_)
    col.set_deck([card.id], col.decks.id(deck))


def add_custom_type(col) -> None:
    """Conditional templates, two of them, CSS, field settings, a sort field, LaTeX, a template deck override."""
    models = col.models
    notetype = models.new("Vocab (custom)")
    for name, settings in [("Word", {"sticky": True, "font": "Noto Serif", "size": 28}),
                           ("Meaning", {"description": "what it means", "collapsed": True}),
                           ("Example", {"plainText": True, "excludeFromSearch": True}), ("Audio", {"rtl": True})]:
        field = models.new_field(name)
        field.update(settings)
        models.add_field(notetype, field)
    for name, (front, back), extra in [("Recognition", RECOGNITION, {"bqfmt": "{{Word}} (r)", "bfont": "Arial",
                                                                     "bsize": 14}),
                                       ("Production", PRODUCTION, {"did": col.decks.id("A::B::C")})]:
        template = models.new_template(name)
        template.update(qfmt=front, afmt=back, **extra)
        models.add_template(notetype, template)
    notetype.update(css=CUSTOM_CSS, sortf=1, latexsvg=True, latexPre="\\documentclass{article}\\begin{document}")
    models.add(notetype)


def add_notes(col, folder: Path) -> None:
    add(col, "Basic", {"Front": 'What colour? <img src="red dot.png">',
                       "Back": "<b>Red</b> &amp; <i>only</i> red<br><div>second&nbsp;line</div>"},
        "A", ["Geographie::Städte", "html"])
    add(col, "Basic", {"Front": "Listen: [sound:hello world.mp3]", "Back": "hello world"}, "A::B", ["日本語::漢字"])
    add(col, "Basic", {"Front": "In the Default deck", "Back": "yes"}, "Default", ["marked"])
    col.set_config("normalize_note_text", False)  # an NFD field, as an older Anki or a sync can leave one
    add(col, "Basic", {"Front": unicodedata.normalize("NFD", "Café, Ångström"), "Back": "NFD"}, "A", [])
    col.set_config("normalize_note_text", True)
    reversed_ = add(col, "Basic (and reversed card)", {"Front": "Hund", "Back": "dog"}, "A::B", ["Sprachen::Deutsch"])
    move_card(col, reversed_, 1, "A::B::C")
    add(col, "Basic (optional reversed card)", {"Front": "Katze", "Back": "cat", "Add Reverse": "y"}, "A", [])
    add(col, "Basic (optional reversed card)", {"Front": "Maus", "Back": "mouse"}, "A", [])
    add(col, "Basic (type in the answer)", {"Front": "Capital of Austria?", "Back": "Vienna"}, "A::B::C", [])
    cloze = add(col, "Cloze", {"Text": "{{c1::Vienna {{c2::Austria}}}} and {{c3::Bern}}", "Back Extra": "nested"},
                "A", ["cloze::nested"])
    move_card(col, cloze, 1, "A::B")
    move_card(col, cloze, 2, "A::B::C")
    add_image_occlusion(col, folder)
    add(col, "Vocab (custom)", {"Word": "犬", "Meaning": "dog <img src=\"blauer_Punkt_ü.png\">", "Example": "犬が好き",
                                "Audio": "[sound:hello world.mp3]"}, "Sprachen 日本語", ["vocab"])
    add(col, "Vocab (custom)", {"Word": "鳥", "Meaning": "", "Example": "鳥が飛ぶ", "Audio": ""}, "Sprachen 日本語", [])
    add(col, "Basic", {"Front": "Filtered card", "Back": "home: 'Filter source'"}, "Filter source", ["filtered"])


def add_image_occlusion(col, folder: Path) -> None:
    image = folder / "occlusion.png"
    image.write_bytes(png(0, 200, 0))
    col.decks.select(col.decks.id("A::B"))
    col.add_image_occlusion_note(
        notetype_id=col.models.by_name("Image Occlusion")["id"], image_path=str(image),
        occlusions="{{c1::image-occlusion:rect:left=.1:top=.1:width=.3:height=.2:oi=1}}"
                   "{{c2::image-occlusion:ellipse:left=.5:top=.5:rx=.1:ry=.1:oi=1}}",
        header="Label the shapes", back_extra="two shapes", tags=["io"])
    image.unlink()


def study(col, deck: str, answers: int) -> None:
    from anki.scheduler.v3 import CardAnswer

    col.decks.select(col.decks.id_for_name(deck))
    for _ in range(answers):
        queued = col.sched.get_queued_cards(fetch_limit=1).cards
        card = col.get_card(queued[0].card.id)
        card.start_timer()
        col.sched.answer_card(col.sched.build_answer(card=card, states=queued[0].states, rating=CardAnswer.GOOD))


def make_collection(folder: Path) -> Path:
    """A learner's collection at folder/collection.anki2 (see the module docstring); returns its path."""
    from anki.collection import Collection

    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "collection.anki2"))
    try:
        for name, data in MEDIA.items():  # written as a sync leaves them: write_data() would lower-case names
            (Path(col.media.dir()) / name).write_bytes(data)
        for name in ("A", "A::B", "A::B::C", "Sprachen 日本語", "Filter source"):
            col.decks.id(name)
        add_custom_type(col)
        add_notes(col, folder)
        study(col, "A", 3)
        filtered = col.sched.get_or_create_filtered_deck(0)
        filtered.name = "Filtered Deck 1"
        del filtered.config.search_terms[:]
        filtered.config.search_terms.add(search='"deck:Filter source"', limit=10, order=0)
        col.sched.add_or_update_filtered_deck(filtered)
        deck = col.decks.by_name("A")
        deck["desc"] = "Deck <b>A</b>: the top of a three-deep tree"
        col.decks.save(deck)
    finally:
        col.close()
    return folder / "collection.anki2"


def export_all(collection: Path, out: Path) -> dict[str, Path]:
    """Every export of the collection: modern and legacy .apkg with and without scheduling, and .colpkg."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    out.mkdir(parents=True, exist_ok=True)
    made = {}
    col = Collection(str(collection))
    try:
        for name, options in EXPORTS.items():
            col.export_anki_package(out_path=str(out / name), options=ExportAnkiPackageOptions(**options), limit=None)
            made[name] = out / name
    finally:
        col.close()
    for name, legacy in COLPKGS.items():
        work = out / "work"
        shutil.copytree(collection.parent, work)
        col = Collection(str(work / collection.name))
        col.export_collection_package(str(out / name), include_media=True, legacy=legacy)
        shutil.rmtree(work)
        made[name] = out / name
    return made


# What CrowdAnki leaves out of each kind of dict (crowd_anki/representation/*.py, JsonSerializable).
DECK_DROP = {"mod", "usn", "id", "collection", "newToday", "revToday", "timeToday", "lrnToday", "metadata",
             "browserCollapsed", "collapsed", "is_child", "conf"}
MODEL_DROP = {"mod", "usn", "id", "did"}


def write_crowdanki(col, deck: str, out: Path) -> Path:
    """The deck and its subdecks as CrowdAnki's exporter writes them (Stvad/CrowdAnki anki_exporter.py): out/deck.json
    and out/media/. The uuids are uuid1, as CrowdAnki makes them."""
    import json
    import uuid

    models: dict[str, dict] = {}

    def serialize(name: str, is_child: bool) -> dict:
        d = col.decks.by_name(name)
        nids = col.db.list("select distinct nid from cards where did = ? or odid = ?", d["id"], d["id"])
        notes, media = [], set()
        for nid in nids:
            note = col.get_note(nid)
            model = col.models.get(note.mid)
            key = str(uuid.uuid5(uuid.NAMESPACE_OID, str(model["id"])))
            models.setdefault(key, {**{k: v for k, v in model.items() if k not in MODEL_DROP},
                                    "crowdanki_uuid": key, "__type__": "NoteModel"})
            notes.append({"__type__": "Note", "fields": list(note.fields), "guid": note.guid,
                          "note_model_uuid": key, "tags": list(note.tags)})
            media |= set(col.media.files_in_str(note.mid, "\x1f".join(note.fields)))
        children = sorted(child for child, _ in col.decks.children(d["id"]) if "::" not in child[len(name) + 2:])
        out_deck = {k: v for k, v in d.items() if k not in DECK_DROP}
        out_deck.update({"__type__": "Deck", "crowdanki_uuid": str(uuid.uuid1()), "notes": notes,
                         "media_files": sorted(media), "children": [serialize(child, True) for child in children]})
        out_deck["name"] = name.split("::")[-1] if is_child else name
        return out_deck

    top = serialize(deck, False)
    top["note_models"], top["deck_configurations"] = list(models.values()), []
    (out / "media").mkdir(parents=True)
    (out / "deck.json").write_text(json.dumps(top, sort_keys=True, indent=4, ensure_ascii=False), encoding="utf-8")

    def all_media(d: dict) -> set[str]:
        return set(d["media_files"]).union(*[all_media(child) for child in d["children"]])

    for name in all_media(top):
        shutil.copy(Path(col.media.dir()) / name, out / "media" / name)
    return out / "deck.json"


def spanish_package(path: Path) -> Path:
    """README 'Bring your deck': a small deck as a learner's Anki exports it (subdeck, picture, cloze, reversed)."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    folder = path.parent / "spanish-collection"
    folder.mkdir(parents=True)
    col = Collection(str(folder / "collection.anki2"))
    try:
        (Path(col.media.dir()) / "casa.png").write_bytes(png(200, 120, 40))
        deck = col.decks.by_name("Spanish") or col.decks.get(col.decks.id("Spanish"))
        deck["desc"] = "Words and sentences, <i>with pictures</i>."
        col.decks.save(deck)
        add(col, "Basic (and reversed card)", {"Front": 'la casa <img src="casa.png">', "Back": "the house"},
            "Spanish", ["nouns"])
        add(col, "Cloze", {"Text": "Yo {{c1::soy}} de {{c2::España}}.", "Back Extra": "ser: to be"},
            "Spanish::Verbs", ["verbs::ser"])
        add(col, "Basic", {"Front": "¿Cómo estás?", "Back": "How are you?"}, "Spanish", [])
        study(col, "Spanish", 2)
        col.export_anki_package(out_path=str(path), limit=None, options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=True, legacy=False))
    finally:
        col.close()
    return path
