"""Reading a policy source safely: strict YAML with every value's position kept.

PyYAML's safe loader (on libyaml, when PyYAML has it: about fifteen times faster) with four
changes, checked in the one walk of the composed node tree that builds the data (``_Reading``):
dates stay text, tags other than the plain ones are refused (``!!python/...`` is never
executed), a value used twice through an alias is refused (the road to "alias bombs"), nesting
is bounded, and a duplicate key is a problem (PyYAML would keep the last one silently).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from policygen.model.problems import Problem, Severity, json_path

MAX_SOURCE_BYTES = 1024 * 1024
"""A policy statement is a few kilobytes; anything over a mebibyte is not one."""

MAX_DEPTH = 50
"""Nesting deeper than this is not a policy."""

_ODD_LINE_BREAK = re.compile("[\x85\u2028\u2029]")
"""Line breaks that YAML counts (so positions would be off) and legal text should not hold."""
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN_TAGS = {"!", *(f"tag:yaml.org,2002:{name}" for name in
                      ("str", "int", "float", "bool", "null", "seq", "map"))}


class Refused(yaml.YAMLError):
    """A construct that policy sources do not allow, with the rule it breaks and the fix."""

    def __init__(self, mark: yaml.Mark, rule: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.mark, self.rule, self.message, self.hint = mark, rule, message, hint


_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PolicyLoader(_Base):  # type: ignore[valid-type,misc]
    """The safe loader, with dates kept as text."""


_PolicyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_YAML_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = (_YAML_TAG + name for name in ("str", "seq", "map"))


@dataclass
class _Reading:
    """One walk of a composed node tree: refuse what policy sources do not allow, note every
    duplicate key, and build the data."""

    loader: _PolicyLoader
    seen: set[int] = field(default_factory=set)
    duplicates: list[tuple[yaml.Node, yaml.Mark, object]] = field(default_factory=list)

    def data(self, node: yaml.Node, depth: int = 1) -> Any:
        """What PyYAML's safe constructor makes of ``node``: text, lists and mappings built
        here, every other value by PyYAML itself (the same data, several times faster for a
        policy, which is mostly text)."""
        if id(node) in self.seen:
            raise Refused(
                node.start_mark, "yaml-alias",
                "anchors and aliases (&name, *name) are not allowed in policy sources",
                "write the value out in full where it is needed",
            )
        self.seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            raise Refused(
                node.start_mark, "yaml-tag",
                f"the tag {node.tag.replace(_YAML_TAG, '!!')} is not allowed in policy sources",
                "remove the tag: a policy holds only text, numbers, true/false, lists and mappings",
            )
        if depth > MAX_DEPTH:
            raise Refused(
                node.start_mark, "too-deep", f"the file nests deeper than {MAX_DEPTH} levels",
                "a policy source needs only a few levels: check the indentation",
            )
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        if node.tag == _SEQ and isinstance(node, yaml.SequenceNode):
            return [self.data(child, depth + 1) for child in node.value]
        if node.tag == _MAP and isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, KeyError, TypeError) as error:  # "!!int abc": PyYAML does not say
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid {node.tag.replace(_YAML_TAG, '!!')}",
                node.start_mark,
            ) from error

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        first_seen: dict[object, yaml.Mark] = {}
        for key_node, value_node in node.value:
            key = self.data(key_node, depth + 1)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found unhashable key",
                    key_node.start_mark,
                )
            written = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            if written in first_seen:
                self.duplicates.append((key_node, first_seen[written], written))
            else:
                first_seen[written] = key_node.start_mark
            mapping[key] = self.data(value_node, depth + 1)
        return mapping


@dataclass(frozen=True)
class Source:
    """A loaded policy source: its data and the YAML node tree that says where each value is."""

    file: str
    data: Any
    root: yaml.Node

    def node_at(self, path: tuple[str | int, ...]) -> yaml.Node:
        """The deepest node on ``path`` that exists (the root for an empty path)."""
        node = self.root
        for part in path:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return node

    def position(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        """1-based line and column of the value at ``path`` (or of its nearest existing parent)."""
        mark = self.node_at(path).start_mark
        return mark.line + 1, mark.column + 1

    def key_position(self, path: tuple[str | int, ...], key: str) -> tuple[int, int]:
        """1-based line and column of ``key`` in the mapping at ``path``; the mapping's if absent."""
        mapping = self.node_at(path)
        for key_node, _ in _pairs(mapping):
            if key_node.value == key:
                return key_node.start_mark.line + 1, key_node.start_mark.column + 1
        return mapping.start_mark.line + 1, mapping.start_mark.column + 1

    def scalar_text(self, path: tuple[str | int, ...]) -> str | None:
        """The value at ``path`` as written in the file, if it is a plain (unquoted) scalar."""
        node = self.node_at(path)
        if isinstance(node, yaml.ScalarNode) and not node.style:  # plain: None, or "" from libyaml
            return str(node.value)
        return None

    def problem(
        self, path: tuple[str | int, ...], rule: str, message: str, hint: str = "",
        *, key: str | None = None, severity: Severity = "error",
    ) -> Problem:
        """A problem located at the value on ``path`` (or at ``key`` in the mapping there)."""
        line, column = self.key_position(path, key) if key else self.position(path)
        where = (*path, key) if key else path
        return Problem(
            self.file, line, column, rule, message, hint, json_path(where), severity,
        )


def _pairs(node: yaml.Node) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        yield from node.value


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(part, int):
        if isinstance(node, yaml.SequenceNode) and 0 <= part < len(node.value):
            return node.value[part]  # type: ignore[no-any-return]
        return None
    for key_node, value_node in _pairs(node):
        if key_node.value == part:
            return value_node
    return None


def _line_and_column(text: str, at: int) -> tuple[int, int]:
    """1-based line and column of the character at offset ``at``."""
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _unprintable(text: str, error: yaml.reader.ReaderError, file: str) -> Problem:
    return Problem(
        file, *_line_and_column(text, error.position), "unprintable-character",
        f"the file contains the control character U+{error.character:04X}, which YAML forbids",
        "delete it: it is invisible in most editors (it often comes from copying and pasting)",
    )


def parse_source(raw: bytes, file: str) -> tuple[Source | None, list[Problem]]:
    """Parse the bytes of a policy source; on failure, no source and the problems that say why."""
    if len(raw) > MAX_SOURCE_BYTES:
        return None, [Problem(
            file, 0, 0, "file-too-large",
            f"the file is {len(raw):,} bytes; a policy source may be at most {MAX_SOURCE_BYTES:,}",
            "a policy statement is a few kilobytes: is this the right file?",
        )]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [Problem(
            file, line, column, "not-utf8",
            f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x})",
            "save the file as UTF-8",
        )]
    odd = _ODD_LINE_BREAK.search(text)
    if odd is not None:
        return None, [Problem(
            file, *_line_and_column(text, odd.start()), "unprintable-character",
            f"the file contains U+{ord(odd.group()):04X}, a line break that some programs show "
            "and others do not",
            "replace it with a space, or with an ordinary line break",
        )]
    loader = _PolicyLoader(text)
    reading = _Reading(loader)
    try:
        root = loader.get_single_node()
        data = reading.data(root) if root is not None else None
    except yaml.reader.ReaderError as error:
        return None, [_unprintable(text, error, file)]
    except Refused as refused:
        at = refused.mark
        return None, [Problem(file, at.line + 1, at.column + 1, refused.rule, refused.message,
                              refused.hint)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "not valid YAML"
        if error.context and error.problem:
            message = f"{error.context}: {error.problem}"
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return None, [Problem(
            file, line, column, "yaml-syntax", f"not valid YAML: {message}",
            "check indentation, and quote text that contains ': ' or starts with a symbol",
        )]
    except yaml.YAMLError as error:
        return None, [Problem(file, 0, 0, "yaml-syntax", f"not valid YAML: {error}")]
    finally:
        loader.dispose()
    if root is None:
        return None, [Problem(
            file, 1, 1, "empty-file", "the file is empty",
            "start from an existing policy, such as policy/do-not-sell.yaml",
        )]
    if not isinstance(root, yaml.MappingNode):
        mark = root.start_mark
        return None, [Problem(
            file, mark.line + 1, mark.column + 1, "not-a-mapping",
            "the top level of a policy source must be a mapping of keys (id:, title:, ...)",
            "start from an existing policy, such as policy/do-not-sell.yaml",
        )]
    if reading.duplicates:
        return None, [Problem(
            file, key_node.start_mark.line + 1, key_node.start_mark.column + 1, "duplicate-key",
            f"duplicate key '{key}': it is already set on line {earlier.line + 1}",
            "YAML would silently keep only the last one; remove one of the two",
        ) for key_node, earlier, key in reading.duplicates]
    return Source(file, data, root), []


__all__ = ["MAX_SOURCE_BYTES", "Source", "parse_source"]
