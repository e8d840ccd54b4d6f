"""`deckbuilder lint`: runs the rules of rules.py (each card alone) and deckrules.py (the deck as a whole) over
checked decks and honours every ignore. RULES here holds them all."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from deckbuilder.lint.deckrules import RULES  # every rule: rules.py's, then deckrules.py's
from deckbuilder.lint.rules import LintContext
from deckbuilder.model import Deck
from deckbuilder.problems import ContentError, Location, Problem
from deckbuilder.terminal import plural

# Problems `deckbuilder check` reports come out of lint under this id; they cannot be switched off.
CHECK_RULE = "check"
DEFAULT_MAX_ANSWER_WORDS = 10


@dataclass(frozen=True)
class LintSettings:
    """What `deckbuilder lint` leaves out and how strict its tunable rules are (from pyproject.toml)."""

    ignore: frozenset[str] = frozenset()
    max_answer_words: int = DEFAULT_MAX_ANSWER_WORDS


@dataclass(frozen=True, order=True)
class Finding:
    """One lint finding, printed `path:line:col: rule-id message`."""

    where: Location
    rule: str
    message: str
    severity: str = field(compare=False)

    def __str__(self) -> str:
        if self.rule == CHECK_RULE:  # as check prints it: before its words, the id would read as a verb
            return f"{self.where}: {'warning: ' if self.severity == 'warning' else ''}{self.message}"
        return f"{self.where}: {self.rule} {self.message}"

    def as_json(self) -> dict:
        return {"path": self.where.path, "line": self.where.line, "column": self.where.column,
                "rule": self.rule, "severity": self.severity, "message": self.message}


def lint(paths: list[Path], settings: LintSettings) -> list[Finding]:
    """Every finding in the decks under `paths`, sorted by place; problems that stop a build come first."""
    from deckbuilder.pipeline.build import read_decks

    warnings: list[Problem] = []
    try:
        decks = read_decks(paths, warnings=warnings)
    except ContentError as error:
        return [check_finding(problem) for problem in error.problems]
    context = LintContext(settings.max_answer_words, decks)
    findings: set[Finding] = {check_finding(problem) for problem in warnings}
    for deck in decks:
        findings.update(deck_findings(deck, context, settings.ignore))
    return sorted(findings)


def check_finding(problem: Problem) -> Finding:
    """A problem `check` reports (drafts are warnings there), as a finding."""
    message = f"{problem.message} ({problem.hint})" if problem.hint else problem.message
    return Finding(problem.where, CHECK_RULE, message, "warning" if problem.warning else "error")


def deck_findings(deck: Deck, context: LintContext, ignore: frozenset[str]) -> list[Finding]:
    """One deck's findings, less the rules switched off for the project, its files or its cards."""
    ignored_in = dict(deck.files_lint_ignore)
    findings = []
    for rule in RULES.values():
        if rule.id in ignore:
            continue
        for hit in rule.check(deck, context):
            if rule.id in ignored_in.get(hit.where.path, ()) or (hit.card and rule.id in hit.card.lint_ignore):
                continue
            findings.append(Finding(hit.where, rule.id, hit.message, rule.severity))
    return findings


def summary(findings: list[Finding]) -> str:
    if not findings:
        return "no problems found"
    errors = sum(1 for finding in findings if finding.severity == "error")
    warnings = len(findings) - errors
    return (f"{plural(len(findings), 'problem')} found: {plural(errors, 'error')}, "
            f"{plural(warnings, 'warning')}")


def findings_json(findings: list[Finding]) -> str:
    return json.dumps([finding.as_json() for finding in findings], indent=2, ensure_ascii=False) + "\n"


def rules_table() -> list[tuple[str, str, str]]:
    """(id, severity, why) for every rule, and for the problems `check` reports, which lint shows too."""
    rows = [(rule.id, rule.severity, rule.why) for rule in RULES.values()]
    rows.append((CHECK_RULE, "error", "what 'deckbuilder check' reports: the deck does not build (never ignored); "
                 "its warnings (a card without an id yet) are warnings here"))
    return rows
