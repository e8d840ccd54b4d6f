"""The `deckbuilder` command run as a user runs it: in-process (run), or in a process of its own (Running)."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

from click.testing import CliRunner

from deckbuilder.cli.main import main


def run(*args: str):
    """`deckbuilder ARGS…`: its exit code and output (stdout and stderr), as CliRunner gives them."""
    return CliRunner().invoke(main, list(args))


class Running:
    """`deckbuilder ARGS…` in its own process (a long-running one: watch), its output lines gathered in a queue as
    they come, each marked "out: " or "err: "."""

    def __init__(self, folder: Path, *args: str, env: dict | None = None, timeout: float = 20):
        self.timeout = timeout  # seconds: far above what a step takes, reached only when something is broken
        self.process = subprocess.Popen([sys.executable, "-m", "deckbuilder", *args], cwd=folder, text=True, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        self.readers = [threading.Thread(target=self.read, args=(stream, name))
                        for stream, name in ((self.process.stdout, "out"), (self.process.stderr, "err"))]
        for reader in self.readers:
            reader.start()

    def read(self, stream, name):
        for line in stream:
            self.lines.put(f"{name}: {line.rstrip()}")

    def wait_for(self, expected: str) -> None:
        """Wait until a line containing `expected` comes (any lines before it are kept in `seen`)."""
        while True:
            try:
                line = self.lines.get(timeout=self.timeout)
            except queue.Empty:
                raise AssertionError(f"no line with {expected!r} in {self.timeout} s; lines so far: {self.seen}") \
                    from None
            self.seen.append(line)
            if expected in line:
                return

    def interrupt(self) -> int:
        """Ctrl-C; its exit code."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=self.timeout)
        for reader in self.readers:
            reader.join(timeout=self.timeout)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code
