"""Reading a built page back: its anchors with their text, its links, and its legal text blocks.

Tests and ``verify`` use this to prove from the published HTML (not from a re-render) that the
page says what the disclosure claims.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from policygen.model.text import collapse_whitespace

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


@dataclass
class Element:
    tag: str
    attributes: dict[str, str]
    parts: list[str] = field(default_factory=list)
    inside: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return collapse_whitespace("".join(self.parts))

    @property
    def classes(self) -> set[str]:
        return set(self.attributes.get("class", "").split())


@dataclass
class BuiltPage:
    """What a reader (or a tool) finds in a built page."""

    elements: list[Element]

    def by_id(self, anchor: str) -> Element | None:
        return next((e for e in self.elements if e.attributes.get("id") == anchor), None)

    def links(self) -> list[Element]:
        return [e for e in self.elements if e.tag == "a" and "href" in e.attributes]

    def alternates(self, media_type: str) -> list[str]:
        return [
            e.attributes.get("href", "") for e in self.elements
            if e.tag == "link" and "alternate" in e.attributes.get("rel", "").split()
            and e.attributes.get("type") == media_type
        ]

    def legal_blocks(self) -> list[Element]:
        """The title, headings, paragraphs and bullets of the article, without the page header."""
        skip = {"policy-meta", "policy-version-note", "policy-print-record", "policy-languages"}
        return [
            e for e in self.elements
            if "article" in e.inside and e.tag in ("h1", "h2", "p", "li") and not e.classes & skip
        ]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[Element] = []
        self.elements: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs},
                          inside=tuple(e.tag for e in self.open))
        self.elements.append(element)
        if tag not in _VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.parts.append(data)


def read_page(html: str) -> BuiltPage:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return BuiltPage(reader.elements)
