"""YAML parsing that keeps line numbers, so every problem can name its line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


def compose(text: str) -> Node | None:
    """Parse YAML into a node tree (with marks); raises yaml.YAMLError."""
    return yaml.compose(text, Loader=yaml.SafeLoader)


def construct(node: Node) -> Any:
    """Turn a node tree into plain Python data, as safe_load would."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def line_of(node: Node) -> int:
    """1-based line where a node starts."""
    return int(node.start_mark.line) + 1


def locate(node: Node, path: Sequence[str | int]) -> int:
    """The line of the deepest node along `path` that exists."""
    line = line_of(node)
    for part in path:
        child: Node | None = None
        if isinstance(node, MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if isinstance(key, ScalarNode) and key.value == part:
                    line, child = line_of(key), value
                    break
        elif (
            isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value)
        ):
            child = node.value[part]
            line = line_of(child)
        if child is None:
            break
        node = child
    return line


def duplicate_keys(node: Node) -> list[tuple[int, str]]:
    """Every key that repeats inside one mapping (YAML would keep only the last)."""
    found: list[tuple[int, str]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if isinstance(key, ScalarNode):
                    if key.value in seen:
                        found.append((line_of(key), key.value))
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)
    return sorted(found)
