"""A checked deck → the notes Anki gets: fields as HTML, media, tags, GUIDs; compile_card is pure."""
