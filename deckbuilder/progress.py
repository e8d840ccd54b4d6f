"""How a long build shows it is working: a progress bar on a terminal, and each stage's time with -v."""

from __future__ import annotations

import sys
import time
from typing import IO, Callable, Iterable, Iterator, TypeVar

import click

Item = TypeVar("Item")
SHOW_AFTER_SECONDS = 0.5  # a build quicker than this shows no bar at all


class Progress:
    """Reports a build's stages on stderr; the bar appears only on a terminal, once the build takes a moment."""

    def __init__(self, stream: IO | None = None, verbose: bool = False, bar: bool = True,
                 clock: Callable[[], float] = time.monotonic):
        self.stream = stream or sys.stderr
        self.verbose = verbose
        self.bar = bar and bool(getattr(self.stream, "isatty", None) and self.stream.isatty())
        self.clock = clock
        self.started = clock()

    def over(self, name: str, items: Iterable[Item], steps: Callable[[Item], int] = lambda item: 1,
             ) -> Iterator[Item]:
        """The items of one named stage, counted as done (by `steps(item)`) when the next is asked for."""
        items = list(items)
        total = sum(steps(item) for item in items)
        began = self.clock()
        shown, done = None, 0
        try:
            for item in items:
                yield item
                step = steps(item)
                done += step
                if shown is not None:
                    shown.update(step)
                elif self.bar and self.clock() - self.started >= SHOW_AFTER_SECONDS:
                    shown = click.progressbar(length=max(total, 1), label=f"{name:<10}", file=self.stream)
                    shown.__enter__()
                    shown.update(done)
        finally:
            if shown is not None:
                shown.__exit__(None, None, None)
        if self.verbose:
            click.echo(f"{name}: {self.clock() - began:.2f} s", file=self.stream)


SILENT = Progress(bar=False)
