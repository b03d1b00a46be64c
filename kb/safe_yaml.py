"""The one YAML loader for curated files: safe tags only, no anchors or aliases, no duplicate
keys, a nesting limit; every refusal names the line.

Curated data never needs anchors (``kb lint`` never writes them), and an alias bomb (a few
kilobytes that expand into billions of nodes) is refused at its first anchor, before anything is
built. Events come from libyaml's C parser when it is built; nodes are composed here so that an
anchor or alias stops the composition at once. A key given twice in one mapping is refused
(PyYAML keeps the last silently: a second top-level ``worksheet:`` would replace the first).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.resolver import Resolver

__all__ = ["MAX_DEPTH", "YamlRefused", "load_yaml"]

MAX_DEPTH = 8

try:
    from yaml._yaml import CParser as _Parser  # libyaml's parser: events at C speed
except ImportError:  # pragma: no cover - PyYAML built without libyaml

    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


class YamlRefused(yaml.MarkedYAMLError):
    """A document this loader will not build: an anchor, an alias, a duplicate key, too deep."""


class _Composer(Composer):
    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        events: Any = self  # the parser's half of the loader gives the events
        event = events.peek_event()
        if events.check_event(AliasEvent):
            raise YamlRefused(
                None,
                None,
                f"alias *{event.anchor} refused (anchors and aliases are not allowed in curated "
                "data; write the value out)",
                event.start_mark,
            )
        if getattr(event, "anchor", None) is not None:
            raise YamlRefused(
                None,
                None,
                f"anchor &{event.anchor} refused (anchors and aliases are not allowed in "
                "curated data; remove it)",
                event.start_mark,
            )
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH + 1:
                raise YamlRefused(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Constructor(SafeConstructor):
    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        if isinstance(node, MappingNode):
            seen: dict[object, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise ConstructorError(
                        None, None, "a mapping key must be plain text", key_node.start_mark
                    )
                key = (key_node.tag, key_node.value)
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise YamlRefused(
                        None,
                        None,
                        f"key '{key_node.value}' given twice in one mapping (first on line "
                        f"{seen[key]}); keep one",
                        key_node.start_mark,
                    )
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


class _Loader(_Composer, _Parser, _Constructor, Resolver):
    """Events from the parser (C when built), nodes composed by ``_Composer``."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _Composer.__init__(self)
        _Constructor.__init__(self)
        Resolver.__init__(self)


def load_yaml(text: str) -> Any:
    """The document in ``text``; raises ``yaml.YAMLError`` (with ``problem_mark``) on bad
    syntax, an unsafe tag, an anchor or alias, a duplicate key, or nesting beyond the limit."""
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
