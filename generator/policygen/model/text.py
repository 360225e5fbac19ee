"""The legal text's only markup: links.

Legal staff write the text exactly as published. Two things in it become links:
``[words][name]`` links the words to a link declared in the policy, and a bare URL or e-mail
address that the policy declares becomes a link to itself. Everything else is text, shown as is.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from policygen.model.addresses import EMAIL

_REFERENCE = re.compile(r"\[(?P<words>[^\[\]]+)\]\[(?P<name>[^\[\]\s]+)\]")
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*:(?://)?[^\s<>()\[\]\"“”]+")
_TRAILING = ".,;:!?"
_LINKABLE_SCHEMES = ("http:", "https:", "mailto:", "javascript:", "data:", "file:", "ftp:", "vbscript:")
_WHITESPACE = re.compile(r"[ \t\r\n]+")


@dataclass(frozen=True)
class Words:
    """Plain words of legal text."""

    text: str


@dataclass(frozen=True)
class Reference:
    """``[words][name]``: words linked to the declared link ``name``."""

    text: str
    name: str


@dataclass(frozen=True)
class BareAddress:
    """A URL or e-mail address written out in the text; ``target`` is what it links to."""

    text: str
    target: str


Segment = Words | Reference | BareAddress


def collapse_whitespace(text: str) -> str:
    """Runs of spaces and line breaks become one space, as a browser shows them."""
    return _WHITESPACE.sub(" ", text).strip()


@functools.lru_cache(maxsize=16384)
def parse(text: str) -> tuple[Segment, ...]:
    """Split legal text into words, references and bare addresses (remembered: the versions of
    a policy share most of their paragraphs)."""
    segments: list[Segment] = []
    position = 0
    for match in _REFERENCE.finditer(text):
        segments.extend(_bare_addresses(text[position : match.start()]))
        segments.append(Reference(match["words"], match["name"]))
        position = match.end()
    segments.extend(_bare_addresses(text[position:]))
    return tuple(segments)


def visible_text(segments: tuple[Segment, ...]) -> str:
    """The text as readers see it: the words of every link, whitespace collapsed."""
    return collapse_whitespace("".join(segment.text for segment in segments))


def _bare_addresses(text: str) -> list[Segment]:
    found: list[tuple[int, int, str]] = []
    for match in _URL.finditer(text):
        address = match.group().rstrip(_TRAILING)
        if address.lower().startswith(_LINKABLE_SCHEMES):
            found.append((match.start(), match.start() + len(address), address))
    for match in EMAIL.finditer(text):
        if not any(start <= match.start() < end for start, end, _ in found):
            found.append((match.start(), match.end(), "mailto:" + match.group()))
    segments: list[Segment] = []
    position = 0
    for start, end, target in sorted(found):
        if start > position:
            segments.append(Words(text[position:start]))
        segments.append(BareAddress(text[start:end], target))
        position = end
    if position < len(text):
        segments.append(Words(text[position:]))
    return segments
