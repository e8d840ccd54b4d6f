"""Decks made elsewhere → a ForeignDeck (foreign.py), plain data: Anki packages of any version (package.py),
CrowdAnki folders (crowdanki.py) and CSV/TSV files (text.py), through read.py's read_foreign; then → card files,
media and a lock file (`deckbuilder import`, importer.py): the deck tree to take (decktree.py), its note types
(notetypes.py; tables.py makes a table's), its notes as cards (cards.py), the files (layout.py, written as text by
yamltext.py), put in place whole (install.py), and the summary (report.py).

What the model guarantees, for every source:
- Nothing was imported into a collection: names, ids and mods are the source's own.
- A note's fields are the exact strings Anki stores (HTML, NFD and all), in its note type's field order; its tags
  are the source's, in its order, nothing added; its GUID, note type id and mod are the source's, or None where
  the source has none (see Note). Each card has its ordinal and its home deck's name.
- A note type's `anki` dict is Anki's whole legacy dict (field and template ids and settings, CSS, LaTeX, sort
  field, req, originalStockKind, crowdanki_uuid, …) but `usn`, a template's deck override given by deck name.
- Media names are single plain file names: a name that could leave the output folder refuses the whole source;
  every size was checked against limits.py before anything was decompressed; MediaFile.read() returns bytes
  that match the declared size (and SHA-1 where declared), or raises ContentError.
- What could not be kept is one line each in `warnings`; where Anki would run code, one line each in `scripts`.
- An unreadable source raises ContentError (`path:line:col: what is wrong (hint)`); nothing is ever written.

For the writer: names and texts are arbitrary strings (`a: b`, `*alias`, `!!python/object`), so emit YAML with a
serializer that quotes them; never format them in. Read every MediaFile before writing any file.
"""
