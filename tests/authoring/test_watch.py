"""`deckbuilder watch`: rebuilds after every save, reports problems and keeps watching, stops on Ctrl-C.

Waits poll a queue with a timeout (never a fixed sleep): a rebuild shows up as soon as it is done.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from watchfiles import Change

from deckbuilder.authoring import watch as watching
from deckbuilder.cli.main import main
from deckbuilder.problems import ContentError
from tests.support.decks import ARTICLE_DECK, BROKEN_CARD, MINIMAL_DECK
from tests.support.cli import Running, run

TIMEOUT = 20  # seconds: far above a rebuild's time, reached only when something is broken
SECOND_CARD = "      - {id: second, front: Q2, back: A2}\n"


def test_only_card_and_media_files_call_for_a_rebuild(tmp_path):
    is_source = watching.source_filter(tmp_path / "build")
    assert is_source(Change.modified, str(tmp_path / "cards" / "deck.yaml"))
    assert is_source(Change.added, str(tmp_path / "cards" / "img" / "new.png"))
    assert not is_source(Change.modified, str(tmp_path / "build" / "deck.apkg")), "the build's own output"
    assert not is_source(Change.added, str(tmp_path / "cards" / ".deck.yaml.swp")), "an editor's swap file"
    assert not is_source(Change.modified, str(tmp_path / "cards" / ".git" / "index"))
    assert not is_source(Change.modified, str(tmp_path / "cards" / "deck.lock")), "the build's lock file"
    assert not is_source(Change.added, str(tmp_path / "cards" / ".deck.lock.k2j3.tmp"))


def test_watched_folders_are_the_folders_named_and_those_of_the_files_named(tmp_path):
    (tmp_path / "cards" / "more").mkdir(parents=True)
    (tmp_path / "other.yaml").write_text(MINIMAL_DECK)
    paths = [tmp_path / "cards", tmp_path / "other.yaml", tmp_path / "cards"]
    assert watching.watched_folders(paths) == [tmp_path / "cards", tmp_path]


class Watcher:
    """watch_builds running in a thread; each rebuild lands in a queue."""

    def __init__(self, paths: list[Path], output: Path):
        self.rebuilds: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, args=(paths, output))
        self.thread.start()

    def run(self, paths, output):
        for rebuilt in watching.watch_builds(paths, output, self.stop):
            self.rebuilds.put(rebuilt)

    def next(self) -> watching.Rebuild:
        return self.rebuilds.get(timeout=TIMEOUT)

    def close(self):
        self.stop.set()
        self.thread.join(timeout=TIMEOUT)
        assert not self.thread.is_alive(), "watching did not stop"


def note_count(rebuilt: watching.Rebuild) -> int:
    [package] = rebuilt.packages
    return len(package.deck.notes)


def notes_in_package(package: Path, scratch: Path) -> int:
    (scratch / "collection.anki2").write_bytes(zipfile.ZipFile(package).read("collection.anki2"))
    with closing(sqlite3.connect(scratch / "collection.anki2")) as database:
        return database.execute("select count() from notes").fetchone()[0]


def test_each_save_rebuilds_packages_and_previews(tmp_path):
    card_file = tmp_path / "cards" / "demo.yaml"
    card_file.parent.mkdir()
    card_file.write_text(MINIMAL_DECK)
    # The output inside the watched folder: were its writes to trigger rebuilds, extra ones would come
    # (test_only_card_and_media_files_call_for_a_rebuild checks the filter itself).
    output = tmp_path / "cards" / "out"
    watcher = Watcher([tmp_path / "cards"], output)
    try:
        first = watcher.next()
        assert note_count(first) == 1 and [page.path.name for page in first.pages] == ["demo.preview.html"]

        card_file.write_text(MINIMAL_DECK + SECOND_CARD)
        assert note_count(watcher.next()) == 2
        assert "Q2" in (output / "demo.preview.html").read_text(encoding="utf-8")
        assert notes_in_package(output / "demo.apkg", tmp_path) == 2

        card_file.write_text(MINIMAL_DECK + SECOND_CARD + BROKEN_CARD.replace("second", "third"))
        failed = watcher.next()
        assert isinstance(failed.error, ContentError) and not failed.packages
        assert [problem.message for problem in failed.error.problems] == ["'back' is required"]
        assert "Q2" in (output / "demo.preview.html").read_text(encoding="utf-8"), "the last good page stays"

        card_file.write_text(MINIMAL_DECK + SECOND_CARD + "      - {id: third, front: Q3, back: A3}\n")
        assert note_count(watcher.next()) == 3
    finally:
        watcher.close()
    assert watcher.rebuilds.empty(), "a rebuild nobody asked for"


def test_a_changed_image_rebuilds_with_the_new_image(tmp_path):
    card_file = tmp_path / "cards" / "demo.yaml"
    (tmp_path / "cards" / "img").mkdir(parents=True)
    (tmp_path / "cards" / "img" / "dot.png").write_bytes(b"first picture")
    card_file.write_text(MINIMAL_DECK.replace("What is first?", "What is this? ![dot](img/dot.png)"))
    watcher = Watcher([card_file], tmp_path / "build")
    try:
        [old] = watcher.next().packages[0].deck.media
        (tmp_path / "cards" / "img" / "dot.png").write_bytes(b"second picture")
        [new] = watcher.next().packages[0].deck.media
    finally:
        watcher.close()
    assert old.name != new.name
    assert [path.name for path in (tmp_path / "build" / "demo.media").iterdir()] == [new.name]


def test_cli_prints_each_rebuild_and_problems_and_stops_cleanly_on_ctrl_c(minimal_project, monkeypatch):
    card_file = minimal_project / "cards" / "demo.yaml"

    def three_saves_then_ctrl_c(paths, output, stop=None, anki=None):
        # The watching itself is tested above; here the saves come in order, to check what is printed.
        for text in (MINIMAL_DECK, MINIMAL_DECK + BROKEN_CARD, MINIMAL_DECK + SECOND_CARD):
            card_file.write_text(text)
            yield watching.rebuild(paths, output)
        raise KeyboardInterrupt

    monkeypatch.setattr(watching, "watch_builds", three_saves_then_ctrl_c)
    monkeypatch.setattr(watching, "clock", lambda: "10:42:07")
    result = run("watch")
    assert result.exit_code == 0
    assert result.output == (
        "build/demo.apkg: Demo deck — 1 note, 1 card\n"
        "build/demo.preview.html: Demo deck — 1 note, 1 card\n"
        "Watching cards for changes; Ctrl-C stops.\n"
        "cards/demo.yaml:14:9: 'back' is required (basic card needs a back: the answer)\n"
        "1 problem found; nothing was written.\n"
        "10:42:07 rebuilt demo (2 notes, 2 cards)\n"
        "Stopped watching.\n")


def test_after_a_mistake_undone_and_a_draft_watch_says_what_it_made(minimal_project, monkeypatch):
    card_file = minimal_project / "cards" / "demo.yaml"
    draft = "      - {front: Q2, back: A2}\n"

    def saves_then_ctrl_c(paths, output, stop=None, anki=None):
        for text in (MINIMAL_DECK, MINIMAL_DECK + BROKEN_CARD, MINIMAL_DECK, MINIMAL_DECK + draft):
            card_file.write_text(text)
            yield watching.rebuild(paths, output)
        raise KeyboardInterrupt

    monkeypatch.setattr(watching, "watch_builds", saves_then_ctrl_c)
    monkeypatch.setattr(watching, "clock", lambda: "07:50:11")
    package = minimal_project / "build" / "demo.apkg"
    result = run("watch")
    assert (result.exit_code, result.output.splitlines()[3:]) == (0, [
        "cards/demo.yaml:14:9: 'back' is required (basic card needs a back: the answer)",
        "1 problem found; nothing was written.",
        "07:50:11 up to date: demo (1 note, 1 card)",
        "cards/demo.yaml:14:9: warning: this card has no id yet: a draft, shown as 'draft@cards/demo.yaml:14:9' "
        "('deckbuilder build' needs one: run 'deckbuilder ids --write' to give every card without one a fresh id)",
        "07:50:11 previewed demo (2 notes, 2 cards); no package while a card has no id",
        "Stopped watching."])
    assert "Q2" in (minimal_project / "build" / "demo.preview.html").read_text(encoding="utf-8")
    assert notes_in_package(package, minimal_project) == 1, "the last package stays"


def test_the_preview_watch_writes_counts_the_notes_preview_counts(minimal_project):
    """Retired notes stay in the package, not on the page: it shows the cards of the card files."""
    card_file = minimal_project / "cards" / "demo.yaml"
    card_file.write_text(MINIMAL_DECK + SECOND_CARD)
    assert run("build").exit_code == 0
    card_file.write_text(MINIMAL_DECK)
    rebuilt = watching.rebuild([minimal_project / "cards"], minimal_project / "build")
    [package], [page] = rebuilt.packages, rebuilt.pages
    assert (len(package.deck.notes), package.retired, page.deck.note_count) == (2, 1, 1)
    watched = (minimal_project / "build" / "demo.preview.html").read_text(encoding="utf-8")
    assert run("preview").output == "build/demo.preview.html: Demo deck — 1 note, 1 card\n"
    assert (minimal_project / "build" / "demo.preview.html").read_text(encoding="utf-8") == watched


def test_no_cards_folder_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("watch")
    assert result.exit_code == 2
    assert "no cards/ folder here; name the card files or folders to use" in result.output


WATCH_HELP = """\
Usage: deckbuilder watch [OPTIONS] [PATHS]...

  Rebuild the packages and previews whenever a card file or media file is saved.

  Watches the folders of the card files (default: cards/). Problems are printed
  as build prints them, and watching goes on; fix the file and save again. With
  --push, each build is also pushed into the running Anki (see 'deckbuilder
  push'). Ctrl-C stops.

  Example:
      deckbuilder watch
      deckbuilder watch cards/k2-calcification.yaml -o dist
      deckbuilder watch --push

Options:
  -o, --output DIRECTORY  Folder to write the packages and pages into.
                          [default: build, or [tool.deckbuilder] build]
  --push                  Also push every build into the running Anki, as
                          'deckbuilder push' does.
  --anki-url URL          Where AnkiConnect listens (also
                          $DECKBUILDER_ANKI_URL).  [default:
                          http://127.0.0.1:8765]
  --anki-key KEY          The apiKey set in AnkiConnect's settings, if any (also
                          $DECKBUILDER_ANKI_KEY).
  --anki-timeout SECONDS  How long to wait for each answer from Anki.  [default:
                          60]
  -h, --help              Show this message and exit.
"""


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(flag):
    result = CliRunner().invoke(main, ["watch", flag], prog_name="deckbuilder", terminal_width=80)
    assert (result.exit_code, result.output) == (0, WATCH_HELP)


def test_watch_in_a_real_process(minimal_project):
    card_file = minimal_project / "cards" / "demo.yaml"
    watch = Running(minimal_project, "watch", timeout=TIMEOUT)
    try:
        watch.wait_for("Watching cards for changes; Ctrl-C stops.")
        assert watch.seen[:2] == ["out: build/demo.apkg: Demo deck — 1 note, 1 card",
                                  "out: build/demo.preview.html: Demo deck — 1 note, 1 card"]
        card_file.write_text(MINIMAL_DECK + SECOND_CARD)
        watch.wait_for("rebuilt demo (2 notes, 2 cards)")
        assert "Q2" in (minimal_project / "build" / "demo.preview.html").read_text(encoding="utf-8")

        card_file.write_text(MINIMAL_DECK + SECOND_CARD + BROKEN_CARD.replace("second", "third"))
        watch.wait_for("err: 1 problem found; nothing was written.")
        assert watch.seen[-2] == "err: cards/demo.yaml:15:9: 'back' is required (basic card needs a back: the answer)"

        card_file.write_text(MINIMAL_DECK + SECOND_CARD + "      - {id: third, front: Q3, back: A3}\n")
        watch.wait_for("rebuilt demo (3 notes, 3 cards)")
    finally:
        code = watch.interrupt()
    assert code == 0, watch.seen
    assert watch.seen[-1] == "out: Stopped watching."
    assert not [line for line in watch.seen if "Traceback" in line or "Aborted" in line]


def test_watching_the_article_deck(tmp_path):
    card_file = tmp_path / "cards" / ARTICLE_DECK.name
    card_file.parent.mkdir()
    text = ARTICLE_DECK.read_text(encoding="utf-8")
    card_file.write_text(text, encoding="utf-8")
    watcher = Watcher([card_file], tmp_path / "build")
    try:
        assert note_count(watcher.next()) == 76
        card_file.write_text(text.replace("Calcium settling in places where it shouldn't",
                                          "Calcium settling where it should not"), encoding="utf-8")
        assert note_count(watcher.next()) == 76
    finally:
        watcher.close()
    page = (tmp_path / "build" / "k2-calcification.preview.html").read_text(encoding="utf-8")
    assert "Calcium settling where it should not" in page and "in places where it shouldn" not in page
