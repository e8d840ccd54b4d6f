from deckbuilder.cli.main import main

main()
