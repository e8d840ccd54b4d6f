"""Card files as text, written for people: a text plain where YAML reads it back as the same text, in a literal
block (`|`) where it has several lines, in single quotes where it has an indicator, in double quotes with escapes
where nothing else keeps it exactly. Every text an import writes is read back by the card file loader and compared
with the source before anything is kept (install.py), so a choice made here can never change a field.

A small emitter of its own rather than PyYAML's: the one in libyaml, driven from Python, takes two seconds for
20,000 notes, several times what the rest of an import takes; the styles chosen here are PyYAML's rules, kept to
the safe side.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import yaml

INDENT = "  "
# Characters YAML reads as something else at the start of a plain text, and texts it may read as null, a number,
# a boolean or a date (only those starting with one of these characters can be).
INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
RESOLVABLE_START = set("0123456789+-.~nNyYtTfFoO<=")
FLOW_INDICATORS = set(",[]{}")
# YAML's printable characters (YAML 1.1 §5.1); anything else must be escaped in double quotes.
NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Characters YAML reads as a line break inside a quoted text (and folds), or that editors hide.
ESCAPE_IN_QUOTES = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\uFEFF"}
TO_ESCAPE = re.compile("[" + "".join(ESCAPE_IN_QUOTES) + "]")
RESOLVER = yaml.resolver.Resolver()
# Most texts, told at once: a letter first, no ':' or '#', nothing to escape, no space at the end, and too long to
# be a word YAML reads otherwise (null, true, no…, of five letters at most).
SURELY_PLAIN = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u3040-\u30ff\u4e00-\u9fff]"
                          r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff:#]{5,}(?<! )\Z")


class Flow(list):
    """A list written on one line: [a, b]."""


class FlowMap(dict):
    """A mapping written on one line: {name: Front, font: Arial}."""


def plain_ok(text: str, flow: bool) -> bool:
    """Whether YAML reads `text` back unchanged, and as text, written without quotes."""
    if not flow and SURELY_PLAIN.match(text):
        return True
    if not text or text != text.strip() or text[0] in INDICATORS or "\t" in text or "\n" in text or "\r" in text:
        return False
    if ": " in text or " #" in text or text.endswith(":") or NOT_PRINTABLE.search(text) or TO_ESCAPE.search(text):
        return False
    if flow and (FLOW_INDICATORS & set(text) or ":" in text or "#" in text):
        return False
    return text[0] not in RESOLVABLE_START or RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == \
        RESOLVER.DEFAULT_SCALAR_TAG


def block_ok(text: str) -> bool:
    """Whether `text` can be a literal block: several lines, none with white space at its end or only white space,
    no line break YAML would change, the first line not indented."""
    if "\n" not in text or "\r" in text or text[0] in " \t\n" or NOT_PRINTABLE.search(text) or TO_ESCAPE.search(text):
        return False
    lines = text.rstrip("\n").split("\n")
    return all(line == line.rstrip(" \t") for line in lines)


def quoted(text: str) -> str:
    """Single quotes where they keep the text (one line of printable characters), else double quotes with
    escapes."""
    if not ("\n" in text or "\r" in text or "\t" in text or TO_ESCAPE.search(text) or NOT_PRINTABLE.search(text)):
        return "'" + text.replace("'", "''") + "'"
    escaped = json.dumps(text, ensure_ascii=False)  # JSON's escapes are YAML's double-quoted escapes
    for character, escape in ESCAPE_IN_QUOTES.items():
        escaped = escaped.replace(character, escape)
    return NOT_PRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04X}", escaped)


@lru_cache(maxsize=4096, typed=True)  # keys, note type keys and tags come again and again; 1 is not True
def scalar(value, flow: bool = False) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return value if plain_ok(value, flow) else quoted(value)


def block(text: str, indent: str) -> str:
    """A literal block: its indicator line's tail and its lines, each indented (empty lines left empty)."""
    ending = len(text) - len(text.rstrip("\n"))
    chomp = "-" if ending == 0 else "" if ending == 1 else "+"
    lines = text[:len(text) - ending].split("\n") + [""] * (ending - 1)
    return f"|{chomp}\n" + "\n".join(indent + line if line else "" for line in lines)


def value_text(value, indent: str) -> str:
    """What follows 'key:' for a value: ' text', a block, or a nested mapping or list on the next lines."""
    if isinstance(value, Flow):
        return " [" + ", ".join(scalar(item, flow=True) for item in value) + "]"
    if isinstance(value, FlowMap):
        return " {" + ", ".join(f"{scalar(key, True)}: {scalar(item, True)}" for key, item in value.items()) + "}"
    if isinstance(value, dict):
        return "\n" + mapping_text(value, indent + INDENT) if value else " {}"
    if isinstance(value, list):
        return "\n" + list_text(value, indent + INDENT) if value else " []"
    if isinstance(value, str) and block_ok(value):
        return " " + block(value, indent + INDENT)
    return " " + scalar(value)


def mapping_text(mapping: dict, indent: str) -> str:
    return "\n".join(f"{indent}{scalar(key)}:{value_text(value, indent)}" for key, value in mapping.items())


def list_text(items: list, indent: str) -> str:
    lines = []
    for item in items:
        if isinstance(item, dict) and not isinstance(item, FlowMap) and item:
            nested = mapping_text(item, indent + INDENT)
            lines.append(indent + "- " + nested[len(indent) + len(INDENT):])
        else:
            lines.append(indent + "-" + value_text(item, indent))
    return "\n".join(lines)


def document(mapping: dict, comments: list[str]) -> str:
    """A card file's text: its comment lines, then the mapping."""
    return "".join(f"# {line}\n" if line else "#\n" for line in comments) + mapping_text(mapping, "") + "\n"
