"""Markdown (CommonMark) → HTML for card fields, with math passed through to Anki's MathJax."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

SINGLE_PARAGRAPH = re.compile(r"<p>((?:(?!<p>).)*)</p>\n\Z", re.DOTALL)
# One line that no CommonMark rule (nor a math plugin) can touch: it does not start a block (heading,
# quote, list, code, HTML, fence, math) and holds no inline syntax (escapes, code, emphasis, links,
# entities, raw HTML, strikethrough, math). Most card fields are such lines; they skip the parser.
PLAIN_LINE = re.compile(r"[^\s\x00-\x1f#>+\-*\d<$~_=`\\\[\]!&][^\x00-\x1f\\`*_\[\]<>&!$~]*(?<!\s)\Z")


@lru_cache(maxsize=1)
def parser():
    """markdown-it with raw HTML, tables and strikethrough; `$…$`, `$$…$$`, `\\(…\\)`, `\\[…\\]` math."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.texmath import texmath_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    # No space inside $…$ and no digit after the closing $: "costs $5 and $10" stays text.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, allow_labels=False)
    md.use(texmath_plugin, delimiters="brackets")
    for rule in ("math_inline", "math_inline_double"):
        md.add_render_rule(rule, lambda renderer, tokens, idx, *_: f"\\({escape(tokens[idx].content, quote=False)}\\)")
    for rule in ("math_block", "math_block_eqno", "math_block_label"):
        md.add_render_rule(rule, lambda renderer, tokens, idx, *_: f"\\[{escape(tokens[idx].content, quote=False)}\\]\n")
    return md


def to_html(text: str) -> str:
    """Render Markdown; a lone paragraph loses its <p> so short answers sit inline (and type-in compares)."""
    if PLAIN_LINE.match(text):
        return text.replace('"', "&quot;")  # what markdown-it's own escaping leaves of such a line
    html = parser().render(text)
    single = SINGLE_PARAGRAPH.match(html)
    return single.group(1) if single else html.rstrip("\n")


