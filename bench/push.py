"""Time `deckbuilder push`: from the command's start to Anki holding one edited card, for the article deck and a
big generated deck.

    python bench/push.py                          # starts Anki desktop headless, as the tests do
    python bench/push.py --cards 10000 --repeat 5
    python bench/push.py --anki-url http://127.0.0.1:8765 --anki-key KEY    # an Anki you have open

Without --anki-url it needs what the push tests need (aqt, DECKBUILDER_ANKICONNECT; see README "Set up"), and
runs Anki on a throwaway folder. Each round edits one card's back, runs `deckbuilder push` as a user would (a
new process), and polls Anki meanwhile for the edited text: "held" is when Anki first shows it, "push" when
the command is done (after it read back what Anki holds). Also timed: a push with nothing changed. Prints
the median and the range of the rounds, in seconds.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from generate import generate  # noqa: E402  (bench/ is a folder of scripts, not a package)

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))  # for tests.support.anki_desktop, which starts Anki desktop headless

DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def ask(url: str, key: str | None, action: str, **params):
    body = json.dumps({"action": action, "version": 6, "params": params, "key": key}).encode()
    with DIRECT.open(urllib.request.Request(url, data=body), timeout=600) as response:
        reply = json.loads(response.read())
    if reply["error"]:
        raise RuntimeError(reply["error"])
    return reply["result"]


def push(folder: Path, url: str, key: str | None, *paths: str) -> float:
    """Run `deckbuilder push` in `folder`; its wall time."""
    command = [sys.executable, "-m", "deckbuilder", "push", "-q", "--anki-url", url, *paths]
    start = time.perf_counter()
    subprocess.run(command + (["--anki-key", key] if key else []), cwd=folder, check=True)
    return time.perf_counter() - start


def edited_round(card_file: Path, url: str, key: str | None, token: str) -> tuple[float, float]:
    """Edit the first card's back to carry `token`, push, and poll Anki for it: (held, push) in seconds."""
    text = card_file.read_text(encoding="utf-8")
    text = re.sub(r'^(\s+back: ")(?:benchedit\w+ )?', rf"\g<1>{token} ", text, count=1, flags=re.MULTILINE)
    card_file.write_text(text, encoding="utf-8")
    held: list[float] = []
    done = threading.Event()
    start = time.perf_counter()

    def poll() -> None:
        while not done.is_set():
            if ask(url, key, "findNotes", query=token):
                held.append(time.perf_counter() - start)
                return
            time.sleep(0.01)

    poller = threading.Thread(target=poll)
    poller.start()
    folder = card_file.parent.parent
    took = push(folder, url, key, str(card_file.relative_to(folder)))
    done.set()
    poller.join()
    if not held and ask(url, key, "findNotes", query=token):
        held.append(took)
    if not held:
        raise SystemExit(f"Anki does not hold {token} after the push")
    return held[0], took


def measure(name: str, card_file: Path, url: str, key: str | None, repeat: int) -> None:
    """One deck's rounds; the edits' words are new to the whole collection, so the poll finds this round's only."""
    folder = card_file.parent.parent  # the deck repository: cards/ and build/
    first = push(folder, url, key, str(card_file.relative_to(folder)))
    rounds = [edited_round(card_file, url, key, f"benchedit{card_file.stem.replace('-', '')}x{number}")
              for number in range(repeat)]
    unchanged = [push(folder, url, key, str(card_file.relative_to(folder))) for _ in range(repeat)]

    def spread(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"

    print(f"{name}: first push {first:.2f} s; one card edited: push → Anki holds the edit "
          f"{spread([held for held, _ in rounds])}, whole push {spread([took for _, took in rounds])}; "
          f"nothing changed: {spread(unchanged)}", flush=True)


def decks(work: Path, cards: int) -> list[tuple[str, Path]]:
    article = work / "article" / "cards"
    article.mkdir(parents=True)
    for name in ("k2-calcification.yaml", "k2-calcification.lock"):
        shutil.copy(PROJECT / "cards" / name, article)
    generate(cards, work / "generated" / "cards")
    [generated] = sorted((work / "generated" / "cards").glob("*.yaml"))
    return [("article deck", article / "k2-calcification.yaml"), (f"{cards:,}-card deck", generated)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10000, help="size of the generated deck")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--anki-url", help="an Anki with AnkiConnect already running (default: start one)")
    parser.add_argument("--anki-key")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        anki = None
        if options.anki_url is None:
            from tests.support import anki_desktop

            reason = anki_desktop.unavailable()
            if reason:
                raise SystemExit(f"cannot start Anki desktop: {reason}")
            port = anki_desktop.free_port()
            anki = anki_desktop.AnkiDesktop(anki_desktop.make_base(work / "anki", port, None), port, None)
            anki.start()
        url = options.anki_url or anki.url
        try:
            for name, card_file in decks(work, options.cards):
                measure(name, card_file, url, options.anki_key, options.repeat)
        finally:
            if anki is not None:
                anki.stop()


if __name__ == "__main__":
    main()
