"""`deckbuilder watch --push`: every save that builds is pushed into the running Anki; when Anki cannot be reached,
the line that says so, and watching goes on. Run in its own process, as a user runs it.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading

from tests.support.anki_desktop import deck_query
from tests.support.decks import MINIMAL_DECK

TIMEOUT = 30  # seconds: far above a rebuild and push, reached only when something is broken
SECOND_CARD = "      - {id: second, front: Q2, back: A2}\n"


class Watching:
    """`deckbuilder watch --push` in its own process, told where Anki is by the environment."""

    def __init__(self, folder, url: str, key: str | None = None):
        env = {**os.environ, "DECKBUILDER_ANKI_URL": url, **({"DECKBUILDER_ANKI_KEY": key} if key else {})}
        self.process = subprocess.Popen([sys.executable, "-m", "deckbuilder", "watch", "--push"], cwd=folder,
                                        text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=lambda: [self.lines.put(line.rstrip("\n")) for line in self.process.stdout])
        self.reader.start()

    def wait_for(self, expected: str) -> str:
        """The first line to come that contains `expected`."""
        while True:
            try:
                line = self.lines.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no line with {expected!r} in {TIMEOUT} s; lines so far: {self.seen}") from None
            self.seen.append(line)
            if expected in line:
                return line

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=TIMEOUT)
        self.reader.join(timeout=TIMEOUT)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code


def test_a_save_reaches_anki(anki, minimal_project):
    card_file = minimal_project / "cards" / "demo.yaml"
    watching = Watching(minimal_project, anki.url, anki.api_key)
    try:
        watching.wait_for("demo: Anki added 1 note, updated 0 and left 0 unchanged; it holds 1 note of the deck")
        watching.wait_for("Watching cards for changes; Ctrl-C stops.")
        card_file.write_text(MINIMAL_DECK + SECOND_CARD)
        watching.wait_for("rebuilt demo (2 notes, 2 cards)")
        watching.wait_for("demo: Anki added 1 note, updated 0 and left 1 unchanged; it holds 2 notes of the deck")
        notes = anki.call("notesInfo", notes=anki.call("findNotes", query=deck_query("Demo deck")))
        assert sorted(note["fields"]["Front"]["value"] for note in notes) == ["Q2", "What is first?"]
    finally:
        code = watching.interrupt()
    assert code == 0 and watching.seen[-1] == "Stopped watching.", watching.seen


def test_without_anki_each_build_says_so_and_watching_goes_on(minimal_project):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    unreachable = (f"Error: nothing answers at {url} (connection refused): start Anki with the AnkiConnect add-on "
                   "(code 2055492159), or give its address with --anki-url (or DECKBUILDER_ANKI_URL)")
    watching = Watching(minimal_project, url)
    try:
        watching.wait_for(unreachable)
        watching.wait_for("Watching cards for changes; Ctrl-C stops.")
        (minimal_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK + SECOND_CARD)
        watching.wait_for("rebuilt demo (2 notes, 2 cards)")
        watching.wait_for(unreachable)
    finally:
        code = watching.interrupt()
    assert code == 0 and watching.seen[-1] == "Stopped watching.", watching.seen
    assert (minimal_project / "build" / "demo.apkg").is_file()
