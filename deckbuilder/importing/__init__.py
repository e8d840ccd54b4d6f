"""Decks made elsewhere → a ForeignDeck (foreign.py): Anki packages (package.py), CrowdAnki folders
(crowdanki.py) and spreadsheets (text.py), read by read.py's read_foreign, which the writer calls.

What the model guarantees the writer, for every source:
- Nothing was imported into a collection: names, ids and mods are the source's own.
- A note's fields are the exact strings Anki stores (HTML, NFD and all), in its note type's field order; its
  tags are Anki's, without any added; its GUID, note type id and mod are the source's (None where the source
  has none: see Note). A card's deck is its home deck, by name.
- A note type's `anki` dict is Anki's whole legacy dict (field and template ids and settings, CSS, LaTeX, sort
  field, req, originalStockKind, …), a template's deck override given by deck name.
- Media names are plain file names: a name that could leave the output folder refused the whole source before
  anything was read; sizes were checked against limits.py before anything was decompressed, and read()
  returns bytes that match the declared size and checksum.
- Anything that could not be kept is one line in `warnings`; where Anki would run code, one line in `scripts`.
- Every unreadable input raised ContentError with `path: what is wrong (hint)`, and nothing was written.
"""
