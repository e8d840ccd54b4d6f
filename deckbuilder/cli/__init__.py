"""The `deckbuilder` command: parses arguments, calls one function, maps problems to exit codes."""
