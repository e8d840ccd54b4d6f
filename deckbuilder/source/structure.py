"""The card format's structure, in the schema language of schema.py: lists, mappings with known keys,
mappings whose `type` picks their keys, and values that are text in one form and a mapping in another."""

from __future__ import annotations

from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from deckbuilder.source.schema import (NULL_TAG, Checked, Checker, Choice, Spec, closest, describe, did_you_mean,
                                      shorten)


class ListOf(Spec):
    def __init__(self, item: Spec, description: str = ""):
        self.item = item
        self.description = description

    def check(self, node, checker):
        if not checker.untagged(node):
            return None
        if not isinstance(node, SequenceNode):
            checker.report(node, f"expected a list, got {describe(node)}",
                           "write each item on its own line starting with '- '")
            return None
        return [self.item.check(child, checker) for child in node.value]

    def json_schema(self):
        return self.with_description({"type": "array", "items": self.item.json_schema()})


MERGE_KEY_HINT = {"<<": "YAML merge keys are not supported in card files; write the keys out"}


@dataclass(frozen=True)
class Key:
    """One key of a mapping."""

    spec: Spec
    required: bool = False
    hint: str = ""
    # Without it the mapping is a draft, not a problem: the JSON Schema still requires it, so editors mark it.
    draft_without: bool = False


class Mapping(Spec):
    """A mapping with known keys: unknown, duplicated and missing keys are all reported."""

    def __init__(self, keys: dict[str, Key], description: str = "", what: str = "this mapping",
                 misplaced: dict[str, str] | None = None):
        self.keys = keys
        self.description = description
        self.what = what
        self.misplaced = misplaced or {}  # hints for keys that belong to a sibling mapping
        self.required = [name for name, key in keys.items() if key.required and not key.draft_without]

    def check(self, node, checker):
        if not checker.untagged(node):
            return None
        if not isinstance(node, MappingNode):
            checker.report(node, f"expected a mapping of keys to values, got {describe(node)}",
                           f"{self.what} needs keys such as {', '.join(self.required_keys() or list(self.keys))}")
            return None
        values, starts, seen, unknown = {}, {}, {}, []
        for key_node, value_node in node.value:
            name = self.key_name(key_node, checker, seen)
            if name is None:
                continue
            if name not in self.keys:
                unknown.append(key_node)
                continue
            starts[name] = value_node.start_mark
            values[name] = self.keys[name].spec.check(value_node, checker)
        missing = [name for name in self.required if name not in seen]
        for key_node in unknown:
            self.report_unknown(key_node, checker, missing)
        for name in missing:
            checker.report(node, f"'{name}' is required", self.keys[name].hint or f"{self.what} needs '{name}'")
        return Checked(values, starts, checker.where(node))

    def report_unknown(self, key_node: ScalarNode, checker: Checker, missing: list[str]) -> None:
        """An unknown key; a near miss of a missing required key says both in one problem ('bakc')."""
        name = key_node.value
        meant = closest(name, missing)
        if meant is not None:
            missing.remove(meant)
            checker.report(key_node, f"unknown key '{shorten(name)}' in {self.what}, and '{meant}' is missing",
                           f"did you mean '{meant}'?")
            return
        hint = self.misplaced.get(name) or MERGE_KEY_HINT.get(name) or did_you_mean(name, list(self.keys))
        checker.report(key_node, f"unknown key '{shorten(name)}' in {self.what}",
                       hint or "expected one of " + ", ".join(self.keys))

    def key_name(self, key_node: Node, checker: Checker, seen: dict[str, Node]) -> str | None:
        """The key's name if it is the first of its name, known or not; reports it otherwise."""
        if not checker.untagged(key_node):
            return None
        if not isinstance(key_node, ScalarNode) or key_node.tag == NULL_TAG:
            checker.report(key_node, f"expected a key name, got {describe(key_node)}")
            return None
        name = key_node.value
        if name in seen:
            first_line = seen[name].start_mark.line + 1
            checker.report(key_node, f"duplicate key '{name}'", f"it is already given at line {first_line}; keep one")
            return None
        seen[name] = key_node
        return name

    def required_keys(self) -> list[str]:
        return [name for name, key in self.keys.items() if key.required]

    def json_schema(self):
        schema = {
            "type": "object",
            "properties": {name: key.spec.json_schema() for name, key in self.keys.items()},
            "additionalProperties": False,
        }
        if self.required_keys():
            schema["required"] = self.required_keys()
        return self.with_description(schema)


class TextMapping(Spec):
    """A mapping whose keys the file chooses (each checked by `key`), each to a value checked by `value`; the
    order is kept, duplicate keys are reported."""

    def __init__(self, key: Spec, value: Spec, description: str = "", what: str = "this mapping"):
        self.key = key
        self.value = value
        self.description = description
        self.what = what

    def check(self, node, checker):
        if not checker.untagged(node):
            return None
        if not isinstance(node, MappingNode):
            checker.report(node, f"expected a mapping of {self.what}, got {describe(node)}",
                           "write each as 'Name: text' on its own line")
            return None
        values, starts, seen = {}, {}, {}
        for key_node, value_node in node.value:
            name = self.key.check(key_node, checker) if checker.untagged(key_node) else None
            if name is None:
                continue
            if name in seen:
                checker.report(key_node, f"duplicate key '{name}'",
                               f"it is already given at line {seen[name].start_mark.line + 1}; keep one")
                continue
            seen[name] = key_node
            starts[name] = value_node.start_mark
            values[name] = self.value.check(value_node, checker)
        return Checked(values, starts, checker.where(node))

    def json_schema(self):
        return self.with_description({"type": "object", "additionalProperties": self.value.json_schema()})


class Variants(Spec):
    """A mapping whose `type` key picks which set of keys applies, with a default type. With `other`, a type
    that names none of the variants picks `other` (its checks then belong to a later stage, which knows the
    types declared elsewhere), unless the mapping has none of `other`'s required keys and the type is a
    near miss of a variant's name: then it is a typo."""

    def __init__(self, variants: dict[str, Mapping], default: str, description: str = "", what: str = "a card",
                 other: tuple[Spec, Mapping] | None = None):
        self.variants = variants
        self.default = default
        self.description = description
        self.what = what
        self.type_choice = Choice(list(variants))
        self.other = other  # (the spec of the other types' names, their mapping)

    def check(self, node, checker):
        if not checker.untagged(node):
            return None
        if not isinstance(node, MappingNode):
            checker.report(node, f"expected {self.what} (a mapping of keys to values), got {describe(node)}")
            return None
        kind, mapping = self.default, self.variants[self.default]
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == "type":
                kind, mapping = self.pick(value_node, node, checker)
                if kind is None:
                    return None
        checked = mapping.check(node, checker)
        if checked is not None:
            checked.values["type"] = kind
        return checked

    def pick(self, value_node: Node, node: MappingNode, checker: Checker) -> tuple[str | None, Mapping | None]:
        written = value_node.value if isinstance(value_node, ScalarNode) else None
        if self.other is None or written in self.variants or not self.looks_other(written, node):
            kind = self.type_choice.check(value_node, checker)
            return kind, self.variants.get(kind)
        names, mapping = self.other
        kind = names.check(value_node, checker)
        return kind, mapping

    def looks_other(self, written: str | None, node: MappingNode) -> bool:
        if written is None:
            return False
        keys = {key.value for key, _ in node.value if isinstance(key, ScalarNode)}
        own = set(self.other[1].required_keys()).difference(*(mapping.keys for mapping in self.variants.values()))
        return bool(keys & own) or not did_you_mean(written, list(self.variants))

    def json_schema(self):
        rules = [{"if": {"required": ["type"], "properties": {"type": {"const": name}}},
                  "then": mapping.json_schema()} for name, mapping in self.variants.items()]
        rules.append({"if": {"not": {"required": ["type"]}}, "then": self.variants[self.default].json_schema()})
        type_schema = {"enum": list(self.variants), "default": self.default}
        if self.other is not None:
            names, mapping = self.other
            rules.append({"if": {"required": ["type"], "properties": {"type": {"not": {"enum": list(self.variants)}}}},
                          "then": mapping.json_schema()})
            type_schema = {"anyOf": [{"enum": list(self.variants)}, names.json_schema()], "default": self.default}
        return self.with_description({"type": "object", "properties": {"type": type_schema}, "allOf": rules})


class Either(Spec):
    """A value that is text in one form and a mapping in the other (e.g. a deck key or a deck header)."""

    def __init__(self, text: Spec, mapping: Mapping, description: str = "", what: str = "text or a mapping"):
        self.text = text
        self.mapping = mapping
        self.description = description
        self.what = what

    def check(self, node, checker):
        if isinstance(node, MappingNode):
            return self.mapping.check(node, checker)
        if isinstance(node, SequenceNode):
            checker.report(node, f"expected {self.what}, got {describe(node)}")
            return None
        return self.text.check(node, checker)

    def json_schema(self):
        return self.with_description({"oneOf": [self.text.json_schema(), self.mapping.json_schema()]})
