"""YAML reading that remembers where every mapping, list and key came from."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import GraphFileError, Location

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LocatedDict(dict):
    """A YAML mapping that knows its own location and the line of each key."""

    location: Location
    key_lines: dict

    def key_location(self, key) -> Location:
        return Location(self.location.file, self.key_lines.get(key, self.location.line))


class LocatedList(list):
    """A YAML sequence that knows its location and the line of each item."""

    location: Location
    item_lines: list

    def item_location(self, index: int) -> Location:
        if index < len(self.item_lines):
            return Location(self.location.file, self.item_lines[index])
        return self.location


def _make_loader(filename: str):
    class Loader(_BaseLoader):
        pass

    def construct_map(loader, node):
        result = LocatedDict()
        result.location = Location(filename, node.start_mark.line + 1)
        result.key_lines = {}
        yield result
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise GraphFileError("a mapping key must be a plain value",
                                     Location(filename, key_node.start_mark.line + 1)) from None
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1

    def construct_seq(loader, node):
        result = LocatedList()
        result.location = Location(filename, node.start_mark.line + 1)
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        yield result
        result.extend(loader.construct_object(child, deep=True) for child in node.value)

    Loader.add_constructor("tag:yaml.org,2002:map", construct_map)
    Loader.add_constructor("tag:yaml.org,2002:seq", construct_seq)
    return Loader


def load_documents(text: str, filename: str) -> list:
    """All documents of a YAML text, with mappings and lists that know their file and line."""
    try:
        return list(yaml.load_all(text, Loader=_make_loader(filename)))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or str(exc)
        if exc.context:
            problem = f"{exc.context}, {problem}"
        raise GraphFileError(f"invalid YAML: {problem}", Location(filename, line),
                             "fix the YAML syntax at that line (indentation, ':' after keys, "
                             "'---' between documents)") from None
    except yaml.YAMLError as exc:
        raise GraphFileError(f"invalid YAML: {exc}", Location(filename)) from None


def load_file(path: str | Path) -> list:
    """All documents of a YAML file; a missing or unreadable file is a GraphFileError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GraphFileError("graph file not found", Location(str(path)),
                             "check the path; relative paths are taken from the current folder") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GraphFileError(f"cannot read graph file: {exc}", Location(str(path))) from None
    return load_documents(text, str(path))


def location_of(value, default: Location | None = None) -> Location | None:
    """The location a YAML value came from, when it is a mapping or a list."""
    return getattr(value, "location", default)
