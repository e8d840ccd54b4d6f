"""The README stays true: its set-up commands are the ones CI runs."""

from __future__ import annotations

import re

from tests.support.decks import PROJECT

README = (PROJECT / "README.md").read_text(encoding="utf-8")
CI_RUN = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_setup_is_two_commands_that_ci_runs_verbatim():
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, re.DOTALL)
    assert commands == ["pip install . && deckbuilder build", "pip install '.[test]' && python -m pytest"]
    ci_lines = CI_RUN.splitlines()
    for command in commands:
        assert command in ci_lines
    # CI runs every test: none may pass there by skipping for a part it lacks.
    assert ci_lines.index("export DECKBUILDER_REQUIRE_ALL_TESTS=1") < ci_lines.index(commands[1])


def test_readme_lists_every_command():
    from deckbuilder.cli.main import main

    for name in main.commands:
        assert f"`deckbuilder {name}" in README


def test_readme_states_the_article_decks_real_size():
    from deckbuilder.pipeline.build import compile_decks
    from tests.support.decks import ARTICLE_DECK

    [deck] = compile_decks([ARTICLE_DECK])
    sections = len({note.tags[0] for note in deck.notes})
    assert f"{sections} sections, {len(deck.notes)} notes, {deck.card_count} cards" in README


def transcript(block: str) -> list[tuple[str, str]]:
    """A README terminal example as (command, what it printed) pairs."""
    steps = re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]
    return [(step.split("\n", 1)[0], step.split("\n", 1)[1]) for step in steps]


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def run_transcript(block: str) -> None:
    import shlex

    from click.testing import CliRunner

    from deckbuilder.cli.main import main

    for command, printed in transcript(block):
        result = CliRunner().invoke(main, shlex.split(command)[1:])
        assert result.output == printed, command


def test_the_authoring_loop_example_is_a_real_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_transcript(re.search(r"```text\n(.*?)```", section("The authoring loop"), re.DOTALL).group(1))


def test_the_lint_example_is_a_real_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from deckbuilder.authoring.scaffold import create_deck

    [deck, _] = create_deck("vitamin-d", tmp_path / "cards")
    lint_section = section("Lint rules")
    card, ignore = re.findall(r"```yaml\n(.*?)```", lint_section, re.DOTALL)[:2]
    text = deck.read_text().replace("    relationships:", card + "    relationships:")
    deck.write_text(text)
    run_transcript(re.search(r"```text\n(.*?)```", lint_section, re.DOTALL).group(1))
    deck.write_text(text.replace(card, card + ignore.splitlines()[0] + "\n"))
    run_transcript("$ deckbuilder lint\nno problems found\n")


def test_the_drafts_example_is_a_real_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from deckbuilder.authoring.scaffold import create_deck

    [deck, _] = create_deck("vitamin-d", tmp_path / "cards")
    drafts = README.split("\n### Drafts\n", 1)[1].split("\n## ", 1)[0]
    card = re.search(r"```yaml\n(.*?)```", drafts, re.DOTALL).group(1)
    deck.write_text(deck.read_text().replace("    relationships:", card + "    relationships:"))
    run_transcript(re.search(r"```text\n(.*?)```", drafts, re.DOTALL).group(1))
    new_id = re.search(r"made of the question's words, `([^`]+)`", drafts).group(1)
    assert f"      - id: {new_id}\n        front: Which vitamin" in deck.read_text()


def test_readme_lists_every_lint_rule_with_its_severity():
    from deckbuilder.lint.linter import RULES

    rows = re.findall(r"^\| `([a-z-]+)` \| (error|warning) \|", section("Lint rules"), re.MULTILINE)
    assert rows == [(rule.id, rule.severity) for rule in RULES.values()]


def test_readme_shows_completion_for_every_shell_tested():
    for shell in ("bash", "zsh", "fish"):
        assert f"_DECKBUILDER_COMPLETE={shell}_source deckbuilder" in section("Shell completion")


def test_the_plan_example_is_a_real_run_on_the_article_deck(tmp_path, monkeypatch):
    """The README's plan: the shipped deck and its committed lock file, after a fixed card, a new and a removed one."""
    import shutil

    from tests.support.decks import ARTICLE_DECK

    (tmp_path / "cards").mkdir()
    shutil.copy(ARTICLE_DECK.with_suffix(".lock"), tmp_path / "cards")
    text = ARTICLE_DECK.read_text(encoding="utf-8")
    edited = text.replace('back: "A team of nutrients and lifestyle actions"',
                          'back: "A team of nutrients (D3, magnesium, K2) and lifestyle actions"').replace(
        '      - id: calcification-found-in-scans\n        type: type-in\n'
        '        front: "Tissue calcification sometimes only shows up decades later, in what? (one word, plural)"\n'
        '        back: "scans"\n',
        '      - id: calcification-silent-for-years\n        front: "How long can tissue calcification go unnoticed?"\n'
        '        back: "Decades: it often only shows up in scans"\n')
    assert edited.count("calcification-silent-for-years") == 1 and "(D3, magnesium, K2)" in edited
    (tmp_path / "cards" / ARTICLE_DECK.name).write_text(edited, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run_transcript(re.search(r"```text\n(\$ deckbuilder plan\n.*?)```", section("Editing a deck you already study"),
                             re.DOTALL).group(1))


def test_the_shipped_decks_lock_files_are_up_to_date():
    """A deck repository's CI check, on our own deck: the committed lock file matches the cards."""
    from deckbuilder.lock.records import lock_text
    from deckbuilder.lock.read import read_lock
    from deckbuilder.pipeline.plan import plan
    from tests.support.decks import ARTICLE_DECK

    [(changes, _, _)] = plan([ARTICLE_DECK], PROJECT / "build")
    assert (changes.anki_counts()["new"], changes.anki_counts()["updated"], changes.first_build) == (0, 0, False)
    lock = ARTICLE_DECK.with_suffix(".lock")
    assert lock_text(read_lock(lock)) == lock.read_text(encoding="utf-8")


def test_the_layout_section_names_every_stage_folder():
    layout = section("Layout")
    package = PROJECT / "deckbuilder"
    folders = [path.name for path in package.iterdir() if path.is_dir() and path.name != "__pycache__"]
    assert folders and all(f"  {folder}/" in layout for folder in folders)


def test_the_card_format_example_checks_and_lints_clean(tmp_path, monkeypatch):
    """Every key the README's card format example shows (a group's too) is real, and the example is a card file
    the lint rules have nothing to say about."""
    example = re.search(r"```yaml\n(.*?)```", section("The card format"), re.DOTALL).group(1)
    (tmp_path / "k2.yaml").write_text(example.replace("url: https://…", "url: https://example.org/k2"))
    monkeypatch.chdir(tmp_path)
    run_transcript("$ deckbuilder check k2.yaml\nk2-calcification: ok — 9 notes, 13 cards\n"
                   "$ deckbuilder lint k2.yaml\nno problems found\n")


def test_the_own_note_types_examples_are_real_runs(tmp_path, monkeypatch):
    """The README's deck with its own note types builds as shown, and moving a card says what the README says."""
    own = section("Your own note types")
    deck, moved = re.findall(r"```yaml\n(.*?)```", own, re.DOTALL)
    built, planned = re.findall(r"```text\n(.*?)```", own, re.DOTALL)
    assert deck.startswith("# cards/german.yaml\n")
    (tmp_path / "cards").mkdir()
    path = tmp_path / "cards" / "german.yaml"
    path.write_text(deck, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run_transcript(built)
    start, end = deck.index("      - id: hund\n"), deck.index("  - id: sentences\n")
    path.write_text(deck[:start] + moved + deck[end:], encoding="utf-8")
    run_transcript(planned)


def test_the_bring_your_deck_example_is_a_real_run(tmp_path, monkeypatch):
    """The import of a deck Anki exported, its build, and the card file's excerpt (but for the GUID, which Anki
    chose at random)."""
    from tests.support.ankidecks import spanish_package

    monkeypatch.chdir(tmp_path)
    spanish_package(tmp_path / "Spanish.apkg")
    text = section("Bring your deck")
    run_transcript(re.search(r"```text\n(.*?)```", text, re.DOTALL).group(1))
    excerpt = re.search(r"```yaml\n(.*?)```", text, re.DOTALL).group(1)
    guid = re.compile(r"guid: .*")
    written = (tmp_path / "cards" / "spanish.yaml").read_text(encoding="utf-8")
    assert guid.sub("guid: …", excerpt) in guid.sub("guid: …", written)
