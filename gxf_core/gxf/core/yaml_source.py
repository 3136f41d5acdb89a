"""YAML reading that remembers where every mapping, list and key came from."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

from . import log
from .errors import GraphFileError, Location, shown

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Largest graph file read, in bytes: a bigger file (or one that grows past it) is refused.
MAX_GRAPH_FILE_BYTES = 64 * 1024 * 1024

#: Most YAML nodes one file may stand for once every alias is expanded. Graph files have thousands;
#: a few kilobytes of nested aliases ("billion laughs") would otherwise expand to billions.
MAX_EXPANDED_NODES = 1_000_000

_TOO_MANY_NODES = "too many YAML aliases/nodes (a recursive or exponential alias structure?)"


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
        expanded_nodes = 0  # nodes of the documents so far, every alias counted as its whole target

        def construct_document(self, node):
            self.expanded_nodes += _expanded_size(node, filename,
                                                  MAX_EXPANDED_NODES - self.expanded_nodes)
            return super().construct_document(node)

    def construct_map(loader, node):
        result = LocatedDict()
        result.location = Location(filename, node.start_mark.line + 1)
        result.key_lines = {}
        yield result
        # Keys written in this mapping come last after merging ('<<: *base'); they may override
        # merged keys, but not each other.
        own = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
        loader.flatten_mapping(node)
        first_own = len(node.value) - own
        for index, (key_node, value_node) in enumerate(node.value):
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                hash(key)
            except TypeError:
                raise GraphFileError("a mapping key must be a plain value",
                                     Location(filename, line)) from None
            if index >= first_own and key in result and result.key_lines.get(key, 0) >= 0:
                raise GraphFileError(
                    f"key {shown(key)} is given twice in one mapping (lines {result.key_lines[key]} "
                    f"and {line})", Location(filename, line),
                    "remove one of them; otherwise only the last would count")
            result[key] = loader.construct_object(value_node, deep=True)
            # merged keys are remembered negated until the mapping's own keys are read
            result.key_lines[key] = line if index >= first_own else -line
        for key, line in result.key_lines.items():
            result.key_lines[key] = abs(line)

    def construct_seq(loader, node):
        result = LocatedList()
        result.location = Location(filename, node.start_mark.line + 1)
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        yield result
        result.extend(loader.construct_object(child, deep=True) for child in node.value)

    def construct_other_tag(loader, tag, node):
        # GXF's reader keeps a tag it does not know ('!ms 2') beside the value and reads the value
        # as if untagged; so does this one (graph files of GXF's own tests carry such tags).
        log.logger.debug("%s:%d: YAML tag %s ignored, as GXF ignores it", filename,
                         node.start_mark.line + 1, tag)
        if isinstance(node, yaml.ScalarNode):
            plain = not node.style  # None (PyYAML) or "" (libyaml) for a plain scalar
            tag = loader.resolve(yaml.ScalarNode, node.value, (plain, not plain))
            untagged = yaml.ScalarNode(tag, node.value, node.start_mark, node.end_mark, node.style)
        elif isinstance(node, yaml.SequenceNode):
            untagged = yaml.SequenceNode("tag:yaml.org,2002:seq", node.value, node.start_mark,
                                         node.end_mark, node.flow_style)
        else:
            untagged = yaml.MappingNode("tag:yaml.org,2002:map", node.value, node.start_mark,
                                        node.end_mark, node.flow_style)
        return loader.construct_object(untagged, deep=True)

    Loader.add_constructor("tag:yaml.org,2002:map", construct_map)
    Loader.add_constructor("tag:yaml.org,2002:seq", construct_seq)
    Loader.add_multi_constructor(None, construct_other_tag)
    return Loader


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return node.value


def _expanded_size(root, filename: str, budget: int) -> int:
    """How many nodes ``root`` stands for with every alias expanded; a GraphFileError past ``budget``.

    The composer makes each alias the very node object of its anchor, so every node's size is counted
    once and reused (linear time, nothing expanded). A node reached again from inside itself is a
    recursive alias, which no graph needs.
    """
    if isinstance(root, yaml.ScalarNode):
        return 1
    scalar = yaml.ScalarNode
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, counted = stack.pop()
        key = id(node)
        if counted:
            open_nodes.discard(key)
            total = 1
            for child in _children(node):
                total += 1 if child.__class__ is scalar else sizes[id(child)]
            if total > budget:
                raise GraphFileError(
                    _TOO_MANY_NODES, Location(filename, node.start_mark.line + 1),
                    f"a graph file may stand for at most {MAX_EXPANDED_NODES:,} values once its aliases "
                    "('*name') are expanded; look at the anchors ('&name') used at and above this line")
            sizes[key] = total
            continue
        if key in sizes:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        for child in _children(node):
            if child.__class__ is scalar:
                continue
            if id(child) in open_nodes:
                raise GraphFileError(
                    f"{_TOO_MANY_NODES}: an alias here refers to a node that contains it",
                    Location(filename, node.start_mark.line + 1),
                    "a graph file cannot hold recursive structures; write the value out instead")
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _mark_documents_after_directives(text: str) -> str:
    """``text`` with a ``---`` where directives (``%YAML 1.2``) are not followed by one.

    YAML wants ``---`` after directives; GXF's reader does not, and graph files rely on it. The
    marker takes the place of the last ``%YAML`` line of the block (the reader here reads every
    file as YAML 1.1 anyway), so every other line keeps its number.
    """
    if "%" not in text:
        return text
    lines = text.split("\n")
    block: list[int] = []  # directive lines of the block being read
    at_start = True  # where directives may be: the start of the text, or after '...'
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not at_start:
            at_start = line.rstrip() == "..."
            continue
        if line.startswith("%"):
            block.append(index)
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if block and not (line.startswith("---") and line[3:4] in ("", " ", "\t", "\r")):
            yaml_lines = [i for i in block if lines[i].split()[0] == "%YAML"]
            if yaml_lines:
                lines[yaml_lines[-1]] = "---"
                kept = [lines[i] for i in block if lines[i] != "---"]
                # the kept directives come first, the marker after them, on the block's lines
                for i, content in zip(block, [*kept, "---"]):
                    lines[i] = content
        block = []
        at_start = line.rstrip() == "..."
    return "\n".join(lines)


def load_documents(text: str, filename: str) -> list:
    """All documents of a YAML text, with mappings and lists that know their file and line."""
    text = _mark_documents_after_directives(text)
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
    """All documents of a YAML file; a missing, unreadable, special or oversized file is a GraphFileError."""
    path = Path(path)
    return load_documents(read_graph_text(path), str(path))


def read_graph_text(path: str | Path) -> str:
    """The text of a graph file, read only when it is a regular file of at most MAX_GRAPH_FILE_BYTES.

    Devices (``/dev/zero``), named pipes and folders are refused before reading (opening a pipe
    does not wait for a writer), and the read itself stops one byte past the bound, so a file that
    grows while it is read cannot make it bigger.
    """
    where = Location(str(path))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise GraphFileError("graph file not found", where,
                             "check the path; relative paths are taken from the current folder") from None
    except OSError as exc:
        raise GraphFileError(f"cannot read graph file: {exc.strerror or exc}", where) from None
    _check_regular(info, where)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise GraphFileError(f"cannot read graph file: {exc.strerror or exc}", where) from None
    with open(fd, "rb") as stream:
        _check_regular(os.fstat(stream.fileno()), where)  # it may have been replaced since
        try:
            data = _read_at_most(stream, MAX_GRAPH_FILE_BYTES + 1, info.st_size)
        except OSError as exc:
            raise GraphFileError(f"cannot read graph file: {exc.strerror or exc}", where) from None
    if len(data) > MAX_GRAPH_FILE_BYTES:
        raise _too_big(where)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GraphFileError(f"not a graph file: byte {exc.start} is not UTF-8 text (a binary file?)", where,
                             "graph files are YAML text in UTF-8") from None


def _read_at_most(stream, limit: int, expected: int) -> bytes:
    """Up to ``limit`` bytes of ``stream``, in pieces, so that memory follows the file, not the limit."""
    pieces, total = [], 0
    size = min(limit, expected + 1 if expected > 0 else 65536)
    while total < limit:
        piece = stream.read(min(size, limit - total))
        if not piece:
            break
        pieces.append(piece)
        total += len(piece)
        size = 1 << 20
    return b"".join(pieces)


def _check_regular(info: os.stat_result, where: Location) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise GraphFileError("not a graph file: this is a folder", where, "name a .yaml file in it")
    if not stat.S_ISREG(info.st_mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                else "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        raise GraphFileError(f"not a graph file: this is {kind}, not a regular file", where,
                             "graph files are read from regular files only; copy the graph into one")
    if info.st_size > MAX_GRAPH_FILE_BYTES:
        raise _too_big(where, info.st_size)


def _too_big(where: Location, size: int | None = None) -> GraphFileError:
    of = f" ({size:,} bytes)" if size is not None else ""
    return GraphFileError(f"graph file is too big{of}: the most read is {MAX_GRAPH_FILE_BYTES:,} bytes",
                          where, "graph files are small YAML texts; is this the right file?")


def location_of(value, default: Location | None = None) -> Location | None:
    """The location a YAML value came from, when it is a mapping or a list."""
    return getattr(value, "location", default)
