"""deckbuilder: YAML card definitions → Anki packages that survive editing."""

__version__ = "0.1.0"
