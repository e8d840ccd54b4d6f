"""`deckbuilder watch --push`: every save that builds is pushed into the running Anki; when Anki cannot be reached,
the line that says so, and watching goes on. Run in its own process, Anki's address and key in the environment,
as a user runs it.
"""

from __future__ import annotations

import os
import socket

from tests.support.anki_desktop import deck_query
from tests.support.cli import Running
from tests.support.decks import MINIMAL_DECK

TIMEOUT = 30  # seconds: far above a rebuild and push, reached only when something is broken
SECOND_CARD = "      - {id: second, front: Q2, back: A2}\n"


def watching(folder, url: str, key: str | None = None) -> Running:
    env = {**os.environ, "DECKBUILDER_ANKI_URL": url, **({"DECKBUILDER_ANKI_KEY": key} if key else {})}
    return Running(folder, "watch", "--push", env=env, timeout=TIMEOUT)


def test_a_save_reaches_anki(anki, minimal_project):
    watch = watching(minimal_project, anki.url, anki.api_key)
    try:
        watch.wait_for("demo: Anki added 1 note, updated 0 and left 0 unchanged; it holds 1 note of the deck")
        watch.wait_for("Watching cards for changes; Ctrl-C stops.")
        (minimal_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK + SECOND_CARD)
        watch.wait_for("rebuilt demo (2 notes, 2 cards)")
        watch.wait_for("demo: Anki added 1 note, updated 0 and left 1 unchanged; it holds 2 notes of the deck")
        notes = anki.call("notesInfo", notes=anki.call("findNotes", query=deck_query("Demo deck")))
        assert sorted(note["fields"]["Front"]["value"] for note in notes) == ["Q2", "What is first?"]
    finally:
        code = watch.interrupt()
    assert code == 0 and watch.seen[-1] == "out: Stopped watching.", watch.seen


def test_without_anki_each_build_says_so_and_watching_goes_on(minimal_project):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    unreachable = (f"err: Error: nothing answers at {url} (connection refused): start Anki with the AnkiConnect "
                   "add-on (code 2055492159), or give its address with --anki-url (or DECKBUILDER_ANKI_URL)")
    watch = watching(minimal_project, url)
    try:
        watch.wait_for("Watching cards for changes; Ctrl-C stops.")
        (minimal_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK + SECOND_CARD)
        watch.wait_for("rebuilt demo (2 notes, 2 cards)")
        while watch.seen.count(unreachable) < 2:  # once for each build (stderr's lines may come before stdout's)
            watch.wait_for(unreachable)
    finally:
        code = watch.interrupt()
    assert code == 0 and watch.seen[-1] == "out: Stopped watching.", watch.seen
    assert (minimal_project / "build" / "demo.apkg").is_file()
