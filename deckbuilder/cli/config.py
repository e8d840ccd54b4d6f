"""Project settings: the nearest pyproject.toml's [tool.deckbuilder] table, checked like a card file."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckbuilder.lint.linter import DEFAULT_MAX_ANSWER_WORDS, LintSettings
from deckbuilder.problems import ContentError, Location, Problem, display_path
from deckbuilder.source.schema import did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the same parser, published separately before Python 3.11
    import tomli as tomllib

TABLE = ("tool", "deckbuilder")
TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
TABLE_HEADER = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
KEY_LINE = re.compile(r"(\s*)([A-Za-z0-9_.\-\"' ]+?)\s*=")


@dataclass(frozen=True)
class Config:
    """Defaults for every command; paths are relative to the pyproject.toml that sets them."""

    cards: Path = Path("cards")
    build: Path = Path("build")
    lint: LintSettings = field(default_factory=LintSettings)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml in `start` or a folder above it."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path | None = None) -> Config:
    """Settings from the nearest pyproject.toml, or the defaults; raises ContentError on bad values."""
    path = find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return Config()
    shown = display_path(path)
    text = path.read_text(encoding="utf-8-sig")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        position = TOML_POSITION.search(str(error))
        where = Location(shown, int(position.group(1)), int(position.group(2))) if position else Location(shown)
        message = TOML_POSITION.sub("", str(error)).strip()
        raise ContentError([Problem(where, f"invalid TOML: {message}")]) from None
    table = document.get("tool", {}).get("deckbuilder")
    if table is None:
        return Config()
    reader = TableReader(shown, text.splitlines())
    config = reader.config(table, path.parent)
    if reader.problems:
        raise ContentError(reader.problems)
    return config


@dataclass
class TableReader:
    """Checks [tool.deckbuilder], reporting each bad value at the line that sets it."""

    shown: str
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)

    def config(self, table: Any, folder: Path) -> Config:
        top = self.known_keys(table, (), ["cards", "build", "lint"])
        cards = self.text(top, ("cards",))
        build = self.text(top, ("build",))
        lint = self.known_keys(top.get("lint", {}), ("lint",), ["ignore", "max-answer-words"])
        ignore = self.ignore_list(lint)
        words = lint.get("max-answer-words", DEFAULT_MAX_ANSWER_WORDS)
        if isinstance(words, bool) or not isinstance(words, int) or words < 1:
            self.report(("lint", "max-answer-words"), f"expected a whole number from 1 up, got {toml_words(words)}")
            words = DEFAULT_MAX_ANSWER_WORDS
        return Config(
            cards=Path(display_path(folder / cards)) if cards else Config.cards,
            build=Path(display_path(folder / build)) if build else Config.build,
            lint=LintSettings(frozenset(ignore), words),
        )

    def known_keys(self, table: Any, keys: tuple[str, ...], known: list[str]) -> dict:
        if not isinstance(table, dict):
            self.report(keys, f"expected a table, got {toml_words(table)}")
            return {}
        for name in table:
            if name not in known:
                self.report((*keys, name), f"unknown key '{name}' in [{'.'.join(TABLE + keys)}]",
                            did_you_mean(name, known) or "expected one of " + ", ".join(known))
        return table

    def text(self, table: dict, keys: tuple[str, ...]) -> str | None:
        value = table.get(keys[-1])
        if value is not None and (not isinstance(value, str) or not value.strip()):
            self.report(keys, f"expected a folder path as a string, got {toml_words(value)}")
            return None
        return value

    def ignore_list(self, lint: dict) -> list[str]:
        from deckbuilder.lint.linter import RULES

        value = lint.get("ignore", [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.report(("lint", "ignore"), f"expected an array of rule ids, got {toml_words(value)}")
            return []
        for item in value:
            if item not in RULES:
                self.report(("lint", "ignore"), f"unknown lint rule '{item}'",
                            did_you_mean(item, list(RULES)) or "'deckbuilder lint --rules' lists them", item)
        return [item for item in value if item in RULES]

    def report(self, keys: tuple[str, ...], message: str, hint: str = "", value: str | None = None) -> None:
        self.problems.append(Problem(self.locate(TABLE + keys, value), message, hint))

    def locate(self, keys: tuple[str, ...], value: str | None = None) -> Location:
        """Where a key (or a string in its array) is set; tomllib keeps no positions, so search the text."""
        for depth in range(len(keys), 0, -1):
            found = self.find_key(".".join(keys[:depth]))
            if found:
                line, column = found
                if value is not None and depth == len(keys):
                    return self.find_value(line, value) or Location(self.shown, line, column)
                return Location(self.shown, line, column)
        return Location(self.shown)

    def find_key(self, dotted: str) -> tuple[int, int] | None:
        table = ""
        for number, line in enumerate(self.lines, start=1):
            header = TABLE_HEADER.match(line)
            if header:
                table = normal_key(header.group(1))
                if table == dotted:
                    return number, line.index("[") + 1
                continue
            key = KEY_LINE.match(line)
            if key and ".".join(filter(None, (table, normal_key(key.group(2))))) == dotted:
                return number, len(key.group(1)) + 1
        return None

    def find_value(self, start: int, value: str) -> Location | None:
        for number in range(start, min(start + 50, len(self.lines) + 1)):
            line = self.lines[number - 1]
            for quote in ('"', "'"):
                column = line.find(f"{quote}{value}{quote}")
                if column != -1:
                    return Location(self.shown, number, column + 1)
        return None


def normal_key(key: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in key.split("."))


def toml_words(value: Any) -> str:
    """A TOML value described in TOML's words, not Python's."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string '{value}'"
    return "an array" if isinstance(value, list) else "a table" if isinstance(value, dict) else "a date or time"
