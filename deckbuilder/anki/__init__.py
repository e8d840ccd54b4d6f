"""What Anki does, reproduced: cloze deletions, the built-in note types, cards rendered from templates."""
