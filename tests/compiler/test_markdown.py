"""Markdown rendering: the fast path for plain lines must give exactly what the parser gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuilder.compiler.markdown import PLAIN_LINE, SINGLE_PARAGRAPH, parser, to_html

# Letters plus every character CommonMark or the math plugins give a meaning to, and some white space.
ALPHABET = "ab Z9é\"'{}:;|()/,.?%@^" + "#>+-*0123456789<$~_=`\\[]!&\n\t\r\x00 \u00a0\u2028\u3000\x0b\x0c"


def parsed(text: str) -> str:
    html = parser().render(text)
    single = SINGLE_PARAGRAPH.match(html)
    return single.group(1) if single else html.rstrip("\n")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=12))
def test_fast_path_renders_exactly_as_the_parser(text):
    assert to_html(text) == parsed(text)


@given(st.text(alphabet="abc XYZ\"'{}:;|()/,.?%@^é", min_size=1, max_size=30).filter(lambda t: t.strip() == t))
def test_ordinary_sentences_take_the_fast_path(text):
    assert PLAIN_LINE.match(text)
    assert to_html(text) == parsed(text)


def test_plain_answers_and_cloze_text_take_the_fast_path():
    for text in ("Vitamin K2", 'The "big four" electrolytes', "{{c1::MGP::protein}} keeps calcium out"):
        assert PLAIN_LINE.match(text), text
    for text in ("**bold**", "1. first", "- item", "# heading", "$x$", "a\\(b\\)", "a & b", "x\ny", " lead"):
        assert not PLAIN_LINE.match(text), text
