"""How much of the speed machinery (deckbuilder/speed/) a build uses: worker processes, the build cache, and
from which size on. Numbers only: the machinery itself is imported by the pipeline alone."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Speed:
    """The packages are the same whatever these say; only the time and memory a build takes change."""

    jobs: int | None = None  # worker processes sharing the work; None: one per core
    reuse: bool = True  # leave decks as their last build left them, reuse checked files and compiled notes
    # Below these sizes the work is done in less time than worker processes take to start and report:
    read_in_workers_from: int = 1 << 20  # bytes of card files (about 2,000 cards)
    compile_in_workers_from: int = 2000  # cards
    write_in_workers_from: int = 2000  # notes of one package (several packages are always shared)

    def workers(self) -> int:
        """How many processes share the work: building is CPU-bound Python, which threads would not spread."""
        import os

        return self.jobs or os.cpu_count() or 1
