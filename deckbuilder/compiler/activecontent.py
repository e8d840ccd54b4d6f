"""Active content in a field's HTML: scripts and frames, event-handler attributes and javascript: URLs.

Anki shows cards in a web view and runs any script in them at every review, on every device the deck
reaches. A deck's Markdown allows raw HTML, so deckbuilder refuses what would run unless the deck's
header opts in with `allow_scripts: true`.
"""

from __future__ import annotations

from html.parser import HTMLParser

SCRIPT_SCHEMES = ("javascript:", "vbscript:")
# Elements that run code or load a page that does.
ACTIVE_ELEMENTS = {"script", "iframe", "object", "embed", "frame"}
OPT_IN = "Anki would run it on the learner's device; remove it, or set 'allow_scripts: true' in the deck header"


def is_script_url(value: str) -> bool:
    """Whether a URL runs code when followed; browsers ignore spaces and control characters in its scheme."""
    compact = "".join(character for character in value if character > " ").lower()
    return compact.startswith(SCRIPT_SCHEMES) or "url=javascript:" in compact  # also <meta> refresh


class ActiveContentFinder(HTMLParser):
    """Collects a description of each piece of active content, in the order it appears."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found += active_parts(tag, attrs)


def active_parts(tag: str, attrs: list[tuple[str, str | None]]) -> list[str]:
    """What in one start tag would run code: the element itself, an event handler, a script URL."""
    found = [f"{'an' if tag[0] in 'aeio' else 'a'} <{tag}> element"] if tag in ACTIVE_ELEMENTS else []
    for name, value in attrs:
        if name.startswith("on"):
            found.append(f"an event handler ({name}) on <{tag}>")
        elif value and is_script_url(value):
            found.append(f"a javascript: URL in <{tag} {name}>")
        elif value and name == "srcdoc":  # a whole HTML document inside an attribute
            found += [f"{what} in <{tag} srcdoc>" for what in active_content(value)]
    return found


def active_content(html: str) -> list[str]:
    """What in this HTML would run as code in Anki, each once."""
    if "<" not in html:  # most fields: no tag, so nothing that runs (and no parser to pay for)
        return []
    finder = ActiveContentFinder()
    # A field is pasted into a card template: a tag it leaves open is closed by the template's text,
    # so close it here too (from inside a quote of either kind, or none) to see its attributes.
    finder.feed(html + "'\">")
    finder.close()
    return list(dict.fromkeys(finder.found))
