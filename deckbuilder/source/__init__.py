"""Card files → checked decks: YAML read safely, checked against the card format, parts assembled into decks."""
