"""Python's cycle collector, paused while a build makes its many short-lived objects."""

from __future__ import annotations

import functools
import gc


def without_cycle_collection(function):
    """Run `function` with Python's cycle collector paused (memory is freed as usual, by reference counts).

    A build makes millions of short-lived objects (YAML nodes, checked cards, notes, lock entries), none
    in a reference cycle that matters. Their churn sets off collections that scan every object alive, the
    cards of all files read so far included: over half of the read stage of a 100,000-card check, a fifth
    of a cold build. Cycles made meanwhile are collected once the collector runs again, so a long-lived
    `watch` does not keep them."""

    @functools.wraps(function)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused
