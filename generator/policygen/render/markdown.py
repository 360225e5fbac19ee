"""Markdown that shows text exactly as written: the one escaping rule for what policygen writes
through Markdown (headings, titles, table cells and front matter)."""

from __future__ import annotations

import html
import json
import re

from policygen.model.text import collapse_whitespace

# Python-Markdown's backslash escapes (plus "|", which the tables extension adds).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!>|])")


def escape(text: str) -> str:
    """Text that Markdown shows exactly as written, on one line (for headings, titles and table
    cells, which stay Markdown so that the table of contents and the theme see them)."""
    text = collapse_whitespace(text).replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def front_matter(**fields: str | list[dict[str, str]]) -> str:
    """A page's front matter. MkDocs' themes print ``title`` as HTML (in ``<title>`` and the
    navigation), so it is HTML-escaped here: the title reads as written everywhere."""
    lines = [
        f"{name}: " + json.dumps(
            html.escape(value) if name == "title" and isinstance(value, str) else value,
            ensure_ascii=False,
        )
        for name, value in fields.items()
    ]
    return "---\n" + "\n".join(lines) + "\n---\n"


