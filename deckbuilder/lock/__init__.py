"""The lock file: what the last build sent, each note's mod, retired notes, what Anki would refuse or do."""
