"""Time the preview of a deck: writing its page, then loading, searching and night mode in Chromium.

    python bench/preview.py FILES…     # any card files, e.g. a deck made by bench/generate.py

Needs the test extra (Playwright) and Debian's chromium. Prints one line per step, in seconds.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from deckbuilder.pipeline.build import compile_decks
from deckbuilder.authoring.preview import write_previews

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def main(paths: list[Path]) -> None:
    from playwright.sync_api import sync_playwright

    decks = timed("check (load, validate, compile)", lambda: compile_decks(paths))
    with tempfile.TemporaryDirectory() as output:
        [page_file] = timed("write the page", lambda: write_previews(decks, Path(output)))
        print(f"page: {page_file.path.stat().st_size / 1e6:.1f} MB, {decks[0].card_count} cards")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            timed("load the page", lambda: page.goto(page_file.path.as_uri(), timeout=300_000))
            timed("search for a word", lambda: (page.fill("#search", "the"), page.inner_text("#shown")))
            timed("clear the search", lambda: (page.fill("#search", ""), page.inner_text("#shown")))
            timed("night mode on", lambda: (page.check("#night"), page.evaluate("0")))
            browser.close()


if __name__ == "__main__":
    main([Path(argument) for argument in sys.argv[1:]])
