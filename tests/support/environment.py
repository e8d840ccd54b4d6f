"""Tests that need what a fresh machine lacks (Debian's Chromium, Anki desktop): skipped there with one line
saying how to run them, required in CI, which installs them and sets REQUIRE_ALL."""

from __future__ import annotations

import os

import pytest

# Set by .ci/run: every test runs, none may skip for something missing.
REQUIRE_ALL = "DECKBUILDER_REQUIRE_ALL_TESTS"


def need(available: bool, what: str, how: str) -> None:
    """Go on if `available`; else skip with `what` is missing and `how` to get it, or fail where REQUIRE_ALL is
    set, so that CI never passes by skipping."""
    if available:
        return
    if os.environ.get(REQUIRE_ALL):
        pytest.fail(f"{what} is missing, and {REQUIRE_ALL} requires every test to run: {how}")
    pytest.skip(f"{what} is not installed here; to run these tests: {how}")
