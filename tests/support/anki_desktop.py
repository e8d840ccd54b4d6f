"""Real Anki desktop, headless, with the AnkiConnect add-on: started for the push tests, stopped after them.

Anki desktop is the `aqt` package from PyPI (`pip install "aqt[qt]==26.9.3"`, Anki's own Qt pins), run with
Qt's offscreen platform on a throwaway base folder (Anki's data folder: one profile, the add-on). The add-on
is GPL-3.0 test tooling: its files are copied from $DECKBUILDER_ANKICONNECT into that folder at test time,
never into the project. What was verified about running it this way is in ANKI_FACTS.md.

Talking to it here goes through plain urllib, not deckbuilder's own client: the tests look at Anki with their
own eyes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

PYTHON_VARIABLE = "DECKBUILDER_ANKI_PYTHON"  # a Python with aqt; default: the one running the tests
ADDON_VARIABLE = "DECKBUILDER_ANKICONNECT"  # the add-on's files (plugin/ of github.com/FooSoft/anki-connect)
PROFILE = "User 1"
HOW = (f'pip install "aqt[qt]==26.9.3" (or point {PYTHON_VARIABLE} at a Python that has it) and set '
       f"{ADDON_VARIABLE} to the AnkiConnect add-on's plugin folder, as .ci/run does")

# Anki's own ProfileManager makes the profile, so that Anki starts straight into it.
PROFILE_SCRIPT = r"""
import sys
import anki.lang
anki.lang.set_lang("en_US")  # before anything that translates
from aqt.profiles import ProfileManager

base, name = sys.argv[1], sys.argv[2]
manager = ProfileManager(ProfileManager.get_created_base_folder(base))
manager.setupMeta()
manager.create(name)
manager.meta.update(firstRun=False, defaultLang="en_US", last_loaded_profile_name=name, updates=False,
                    check_for_updates=False, check_for_addon_updates=False)
manager.db.execute("insert or replace into profiles values ('_global', ?)", manager._pickle(manager.meta))
manager.db.commit()  # without it Anki starts its first-run wizard
manager.db.close()
"""


DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy from the environment


class AnkiConnectError(RuntimeError):
    """AnkiConnect answered with an error string."""


def anki_python() -> str:
    return os.environ.get(PYTHON_VARIABLE) or sys.executable


def addon_source() -> Path | None:
    folder = os.environ.get(ADDON_VARIABLE)
    return Path(folder) if folder else None


def need_anki_desktop() -> None:
    """Go on where Anki desktop with AnkiConnect can run; else skip saying how to run the test (fail in CI)."""
    from tests.support.environment import need

    reason = unavailable()
    need(reason is None, "Anki desktop with the AnkiConnect add-on", f"{HOW} (here: {reason})")


@lru_cache(maxsize=1)
def unavailable() -> str | None:
    """None if Anki desktop with AnkiConnect can run here, else why not (one line)."""
    source = addon_source()
    if source is None:
        return f"{ADDON_VARIABLE} is not set"
    if not (source / "__init__.py").is_file():
        return f"no AnkiConnect add-on in {source}"
    probe = "import aqt, PyQt6.QtWebEngineCore, PyQt6.QtWebEngineWidgets"  # fails when a system library is missing
    try:
        done = subprocess.run([anki_python(), "-c", probe], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"cannot run {anki_python()}: {error}"
    if done.returncode:
        lines = done.stderr.strip().splitlines()
        return f"no Anki desktop in {anki_python()}: {lines[-1] if lines else 'import aqt failed'}"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_base(base: Path, port: int, api_key: str | None) -> Path:
    """A new base folder: profile 'User 1', and AnkiConnect on `port`, asking for `api_key`, configured where
    Anki keeps a user's add-on settings (meta.json's "config", over the add-on's config.json)."""
    base.mkdir(parents=True)
    subprocess.run([anki_python(), "-c", PROFILE_SCRIPT, str(base), PROFILE], check=True, capture_output=True,
                   env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=120)
    # Any folder name works but 'plugin' (AnkiConnect then starts no server).
    addon = base / "addons21" / "AnkiConnect"
    shutil.copytree(addon_source(), addon, ignore=shutil.ignore_patterns("__pycache__", "meta.json"),
                    copy_function=shutil.copyfile)  # not the source's (read-only) permissions
    config = {"webBindPort": port, "apiKey": api_key}
    (addon / "meta.json").write_text(json.dumps({"name": "AnkiConnect", "config": config}), encoding="utf-8")
    return base


@dataclass
class AnkiDesktop:
    """Anki desktop running on a base folder made by make_base."""

    base: Path
    port: int
    api_key: str | None
    process: subprocess.Popen | None = None
    log: Any = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> None:
        """Start Anki and wait until AnkiConnect answers."""
        if answers(self.port):
            raise RuntimeError(f"port {self.port} is taken: another Anki would answer in this one's place")
        self.log = open(self.base / "anki.log", "ab")
        code = f"import aqt, sys; sys.argv = ['anki', '-b', {str(self.base)!r}]; aqt.run()"
        self.process = subprocess.Popen([anki_python(), "-c", code], stdin=subprocess.DEVNULL, stdout=self.log,
                                        stderr=subprocess.STDOUT, env=headless(self.base), cwd=self.base,
                                        start_new_session=True)  # its own process group: stop() ends them all
        deadline = time.monotonic() + timeout
        while not answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Anki did not come up; its log: {self.base / 'anki.log'}")
            time.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM (Anki saves and quits), SIGKILL if it takes too long, then whatever is left of its group."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # Qt WebEngine's helpers, if any outlived it
        except ProcessLookupError:
            pass
        self.process = None
        self.log.close()

    def call(self, action: str, **params: Any) -> Any:
        """One AnkiConnect action, with this Anki's key; AnkiConnectError for the error it reports."""
        body = {"action": action, "version": 6, "params": params, "key": self.api_key}
        request = urllib.request.Request(self.url, data=json.dumps(body).encode(), method="POST")
        with DIRECT.open(request, timeout=120) as response:
            reply = json.loads(response.read())
        if reply["error"] is not None:
            raise AnkiConnectError(reply["error"])
        return reply["result"]


def headless(base: Path) -> dict[str, str]:
    """Anki's environment: no display; Chromium (Qt WebEngine) without its sandbox, which refuses root; a
    single-instance key of its own (by default a second Anki of the same user hands over to the first and
    exits); caches inside the base folder."""
    key = "deckbuilder-test-" + hashlib.sha1(str(base).encode()).hexdigest()[:16]
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox",
            "ANKI_SINGLE_INSTANCE_KEY": key, "XDG_CACHE_HOME": str(base / "cache"), "PYTHONUNBUFFERED": "1"}


def answers(port: int) -> bool:
    """Whether AnkiConnect (or anything) answers on `port`."""
    try:
        with DIRECT.open(f"http://127.0.0.1:{port}", timeout=5):
            return True
    except (urllib.error.URLError, OSError):
        return False


def deck_query(deck: str) -> str:
    """Anki's search for a deck's cards: quoted, its special characters escaped (as Anki's own
    build_search_string does)."""
    return '"deck:' + "".join("\\" + c if c in '\\"*_' else c for c in deck) + '"'
