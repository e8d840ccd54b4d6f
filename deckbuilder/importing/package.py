"""An .apkg or .colpkg, from any Anki version, genanki or deckbuilder → a ForeignDeck.

Names, ids and mods are the package's own: its collection file is read, never imported (container.py,
collection.py). A card's deck is its home deck (`odid`, else `did`): a card studied in a filtered deck belongs
to the deck it came from, and Anki's export keeps that deck.
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from pathlib import Path

from deckbuilder.importing import collection, scan, zstd
from deckbuilder.importing.container import Layout, MediaEntry, open_package, read_member
from deckbuilder.importing.foreign import FROM_PACKAGE, Card, Deck, ForeignDeck, MediaFile, Note, NoteType, Source
from deckbuilder.importing.limits import LIMITS, Limits, unreadable

PLACEHOLDER = "Please update to the latest Anki version"  # the dummy collection.anki2 of modern packages
DEFAULT_DECK = "Default"


def read_package(path: Path, limits: Limits = LIMITS) -> ForeignDeck:
    """Everything the package holds; ContentError if it cannot be read. Close the result."""
    layout = open_package(path, limits)
    try:
        with tempfile.TemporaryDirectory(prefix="deckbuilder-import-") as folder:
            contents = collection.read(path, collection.extract(path, layout, Path(folder), limits))
        return foreign_deck(path, layout, contents, limits)
    except BaseException:
        layout.close()
        raise


def foreign_deck(path: Path, layout: Layout, contents: collection.Contents, limits: Limits) -> ForeignDeck:
    warnings = list(layout.warnings)
    decks = {deck["id"]: deck for deck in contents.decks}
    notetypes = tuple(notetype_of(model, decks, warnings) for model in contents.notetypes)
    notes = notes_of(contents, {notetype.id: notetype for notetype in notetypes}, decks, warnings)
    warnings += placeholder_warning(notes) + unstudied_warning(layout, contents)
    used = {card.deck for note in notes for card in note.cards} | {note.deck for note in notes} | {
        template["did"] for notetype in notetypes for template in notetype.anki["tmpls"] if template.get("did")}
    media = tuple(media_file(path, layout, entry, limits) for entry in layout.media)
    warnings += scan.media_warnings(notes, media)
    source = Source(str(path), "colpkg" if path.suffix.lower() == ".colpkg" else "apkg", {
        "collection": layout.collection, "package version": layout.meta_version, "schema": contents.schema})
    return ForeignDeck(source, FROM_PACKAGE, notetypes, decks_used(decks, used), notes, media, tuple(warnings),
                       scan.scripts(notetypes, notes), layout.close)


def notetype_of(model: dict, decks: dict[int, dict], warnings: list[str]) -> NoteType:
    """The legacy dict without `usn`, each template's deck override by name."""
    anki = {key: value for key, value in model.items() if key != "usn"}
    anki["tmpls"] = [dict(template) for template in model.get("tmpls", [])]
    for template in anki["tmpls"]:
        did = template.get("did")
        if did and did in decks:
            template["did"] = decks[did]["name"]
        elif did:
            warnings.append(f"note type '{model['name']}', template '{template['name']}': its deck override names "
                            f"a deck the package does not have (id {did}): left out")
            template["did"] = None
    return NoteType(anki)


def notes_of(contents: collection.Contents, notetypes: dict[int, NoteType], decks: dict[int, dict],
             warnings: list[str]) -> tuple[Note, ...]:
    cards: dict[int, list[Card]] = {}
    for nid, ord_, did, odid, _ in contents.cards:
        cards.setdefault(nid, []).append(Card(ord_, home_deck(odid or did, decks, warnings)))
    orphans = sum(len(cards[nid]) for nid in set(cards) - {row[0] for row in contents.notes})
    if orphans:
        warnings.append(f"{orphans} card{'s' if orphans != 1 else ''} without a note: left out")
    notes = []
    counts = {ntid: len(notetype.field_names) for ntid, notetype in notetypes.items()}
    for nid, guid, mid, mod, tags, fields in contents.notes:
        notetype = notetypes.get(mid)
        if notetype is None:
            warnings.append(f"note {guid}: its note type (id {mid}) is not in the package: left out")
            continue
        values = tuple(fields.split("\x1f"))
        if len(values) != counts[mid]:
            warnings.append(f"note {guid}: {len(values)} fields, its note type '{notetype.name}' has {counts[mid]}")
        own = tuple(cards.get(nid, ()))
        if not own:
            warnings.append(f"note {guid} has no cards in the package")
        notes.append(Note(guid, mid, notetype.name, values, tuple(tags.split()), mod,
                          own[0].deck if own else None, own))
    return tuple(notes)


def home_deck(did: int, decks: dict[int, dict], warnings: list[str]) -> str:
    deck = decks.get(did)
    if deck is None:
        message = f"cards in a deck the package does not have (id {did}) go to '{DEFAULT_DECK}', as in Anki"
        if message not in warnings:
            warnings.append(message)
        return DEFAULT_DECK
    return deck["name"]


def decks_used(decks: dict[int, dict], used: set[str]) -> tuple[Deck, ...]:
    """The decks the notes' cards and the templates' deck overrides name, and the decks above them."""
    wanted = {"::".join(name.split("::")[:depth]) for name in used if name
              for depth in range(1, len(name.split("::")) + 1)}
    found = {deck["name"]: Deck(deck["name"], deck.get("desc") or "", bool(deck.get("md")), deck["id"])
             for deck in decks.values() if deck["name"] in wanted and not deck.get("dyn")}
    return tuple(found.get(name) or Deck(name) for name in sorted(wanted))


def placeholder_warning(notes: tuple[Note, ...]) -> list[str]:
    if len(notes) == 1 and notes[0].fields and notes[0].fields[0].startswith(PLACEHOLDER):
        return ["the package holds only the placeholder note Anki writes for versions older than 2.1.50: its real "
                "collection is missing (export the deck again)"]
    return []


def unstudied_warning(layout: Layout, contents: collection.Contents) -> list[str]:
    """Anki's export without scheduling leaves no trace of it but new cards and no reviews (gather.rs)."""
    if layout.meta_version is None or contents.reviews or not contents.cards:
        return []
    if any(card_type != 0 for *_, card_type in contents.cards):
        return []
    return ["no card in the package was ever studied: if it was exported without scheduling, Anki left out the "
            "'marked' and 'leech' tags and put the cards of a filtered deck in a normal deck of that name "
            "(export with 'Include scheduling information' ticked to keep both)"]


def media_file(path: Path, layout: Layout, entry: MediaEntry, limits: Limits) -> MediaFile:
    return MediaFile(entry.name, entry.size, entry.sha1, lambda: media_bytes(path, layout, entry, limits))


def media_bytes(path: Path, layout: Layout, entry: MediaEntry, limits: Limits) -> bytes:
    """One media file's bytes: at most its declared size, and matching its declared SHA-1."""
    what = f"media file '{entry.name}' (zip file '{entry.member}')"
    info = layout.zip.getinfo(entry.member)
    if not layout.compressed:
        return read_member(path, layout.zip, info, min(entry.size, limits.max_media_file), what)
    try:
        with layout.zip.open(info) as member:
            data = zstd_bytes(member, entry.size)
    except zstd.ZstdError as error:
        raise unreadable(path, f"{what} {error}, more than its media map says", "download or export it again"
                         ) if "more than" in str(error) else unreadable(path, f"{what} {error}") from error
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise unreadable(path, f"{what} is damaged ({error})", "download or export it again") from error
    if len(data) != entry.size or hashlib.sha1(data).hexdigest() != entry.sha1:
        raise unreadable(path, f"{what} does not match its size and checksum in the media map",
                         "download or export it again")
    return data


def zstd_bytes(member, cap: int) -> bytes:
    import io

    out = io.BytesIO()
    zstd.copy(member, out, cap)
    return out.getvalue()

