"""Benchmark: deckbuilder against a plain libyaml + genanki baseline, side by side in one run.

Every measurement runs in a fresh process; wall time and CPU time (user + system, worker processes
included) are the medians of --repeat runs, peak memory the largest: the total of the process tree
(proportional set size, sampled every 20 ms or more) or the main process's max RSS if that is larger.
deckbuilder uses every core (worker processes); the baseline one. Ratios compare numbers of one run.

    python bench/run.py                       # 1k, 10k and 100k cards
    python bench/run.py --sizes 1000,10000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402  (bench/ is a folder of scripts, not a package)

HERE = Path(__file__).resolve().parent
CARDS_PER_FILE = 1000  # big decks are split over files, as the README advises


@dataclass
class Measured:
    seconds: float
    peak_mib: float
    cpu_seconds: float = 0.0  # user + system time of the process and every worker it started


def tree_pss_kib(pid: int) -> int:
    """The memory a process and all its descendants hold, in KiB, as proportional set size: a page that
    forked workers share with their parent is counted once over all of them, not once per process."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return total


class PeakMemory(threading.Thread):
    """Samples a process tree's total memory until the process ends. The kernel walks every page to say
    (15 ms for 650 MB), so samples are spaced to take at most a twentieth of one core: the build on a
    machine with few cores would be slowed otherwise."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kib, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        pause = 0.02
        while not self.done.wait(pause):
            start = time.perf_counter()
            self.peak_kib = max(self.peak_kib, tree_pss_kib(self.pid))
            pause = max(0.02, 20 * (time.perf_counter() - start))


@dataclass
class Sample:
    seconds: float
    peak_mib: float
    cpu_seconds: float


def run_once(command: list[str], before=None) -> Sample:
    """Run `command` in a fresh process (calling `before()` first). Peak memory is the largest of the sampled
    total of the process tree (worker processes included) and the main process's own maximum resident size
    (a peak between two samples)."""
    if before:
        before()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = PeakMemory(process.pid)
    sampler.start()
    # Waited for without reaping: until the sampler has stopped, the ended process keeps its PID, so no new
    # process that the system gives the same PID is sampled in its place.
    os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
    seconds = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return Sample(seconds, max(usage.ru_maxrss, sampler.peak_kib) / 1024, usage.ru_utime + usage.ru_stime)


def summary(samples: list[Sample]) -> Measured:
    return Measured(statistics.median(s.seconds for s in samples), max(s.peak_mib for s in samples),
                    statistics.median(s.cpu_seconds for s in samples))


def measure(command: list[str], repeat: int, before=None) -> Measured:
    """Run `command` `repeat` times (see run_once)."""
    return summary([run_once(command, before) for _ in range(repeat)])


def deckbuilder(*args: str) -> list[str]:
    return [sys.executable, "-m", "deckbuilder", *args]


def edit_one_card(files: list[Path]) -> None:
    """Change one card's answer in the middle file, a different text every time."""
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    marker = "        back: "
    index = text.index(marker) + len(marker)
    path.write_text(text[:index] + f'"edited {time.perf_counter_ns()}" # ' + text[index:], encoding="utf-8")


def bench_size(cards: int, repeat: int, scratch: Path) -> dict[str, Measured]:
    folder = scratch / f"deck-{cards}"
    files = generate(cards, folder, files=max(1, cards // CARDS_PER_FILE))
    names = [str(path) for path in files]
    out = scratch / f"out-{cards}"

    def cold():
        shutil.rmtree(out, ignore_errors=True)

    # A cold build is a fresh clone of a deck repository: the cards and their lock file, no build folder.
    run_once(deckbuilder("build", "-o", str(out), str(folder)), cold)
    build = deckbuilder("build", "-o", str(out), str(folder))
    plan = [  # (name, command, before): one round, in this order, so each step finds the state it needs
        ("baseline parse", [sys.executable, str(HERE / "baseline.py"), "parse", *names], None),
        ("baseline build", [sys.executable, str(HERE / "baseline.py"), "build", str(scratch / "baseline.apkg"),
                            *names], None),
        ("check", deckbuilder("check", str(folder)), cold),
        ("build (cold)", build, cold),
        ("rebuild, no change", build, None),
        ("rebuild, one card edited", build, lambda: edit_one_card(files)),
    ]
    # Rounds rather than each measurement `repeat` times in a row: on a shared machine a slow minute then
    # weighs on deckbuilder and the baseline alike, and the ratios of one run stay fair.
    samples: dict[str, list[Sample]] = {name: [] for name, _, _ in plan}
    for _ in range(repeat):
        for name, command, before in plan:
            samples[name].append(run_once(command, before))
    return {name: summary(taken) for name, taken in samples.items()}


TARGETS = [  # (what, numerator, denominator or None for seconds, limit)
    ("cold build / baseline build", "build (cold)", "baseline build", 1.3),
    ("check / baseline parse", "check", "baseline parse", 1.2),
    ("rebuild, no change (s)", "rebuild, no change", None, 0.5),
    ("rebuild after one edit / cold build", "rebuild, one card edited", "build (cold)", 0.25),
]


def report(all_results: dict[int, dict[str, Measured]], help_time: Measured) -> str:
    sizes = list(all_results)
    lines = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{platform.system()} {platform.release()}", "",
             "| measurement | " + " | ".join(f"{size:,} cards" for size in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    for name in all_results[sizes[0]]:
        cells = [f"{r[name].seconds:.2f} s ({r[name].cpu_seconds:.1f} s CPU), {r[name].peak_mib:.0f} MiB"
                 for r in all_results.values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "| target | " + " | ".join(f"{size:,}" for size in sizes) + " | limit |",
              "|---|" + "---|" * (len(sizes) + 1)]
    for what, top, bottom, limit in TARGETS + [("peak memory: cold build / baseline build", "mem", None, 1.5)]:
        cells = []
        for r in all_results.values():
            if top == "mem":
                value = r["build (cold)"].peak_mib / r["baseline build"].peak_mib
            else:
                value = r[top].seconds / r[bottom].seconds if bottom else r[top].seconds
            cells.append(f"{value:.2f} {'✓' if value <= limit else '✗'}")
        lines.append(f"| {what} | " + " | ".join(cells) + f" | ≤ {limit} |")
    lines.append(f"| `deckbuilder --help` (s) | {help_time.seconds:.2f} "
                 f"{'✓' if help_time.seconds <= 0.3 else '✗'} |" + " |" * (len(sizes) - 1) + " ≤ 0.3 |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        results = {}
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"benchmarking {size:,} cards…", file=sys.stderr)
            results[size] = bench_size(size, args.repeat, Path(scratch))
        help_time = measure(deckbuilder("--help"), max(args.repeat, 5))
    print(report(results, help_time))


if __name__ == "__main__":
    main()
