"""What the tests share besides fixtures (those are in conftest.py): decks, Anki, the CLI."""
