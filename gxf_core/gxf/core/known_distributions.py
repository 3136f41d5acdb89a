"""Which distribution to ``pip install`` for an extension or component type that is not installed.

An installed extension names its own distribution (``Extension(distribution=...)``, else the
distribution of its entry point), and the hints for what is installed (``pip install --upgrade X``)
come from there. The hard case is what is *not* installed: a graph's ``dependencies`` names an
extension, or a graph uses a component type, that no installed distribution provides. No code of the
missing distribution can answer then, and installed metadata describes only what is installed; a hook
(``gxf_known_distributions()``) would only be answered by installed distributions, so with gxf-core
alone nothing would answer, which is when the hint matters most. So the well-known extension names and
type-name prefixes are data: ``known_distributions.toml``, shipped with gxf-core, where a distribution
adds its extensions with one line each. The core's code names no distribution, and the file is read only
when a hint is needed, never on the way to running a graph.

The same table lists the project's own distributions (``[precedence]``), which keep their names and
UUIDs when an installed distribution claims them too; it is read only when two installed extensions
clash (see ``plugins.build_registry``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .errors import ExtensionError, Location

DATA_FILE = Path(__file__).with_name("known_distributions.toml")


@dataclass(frozen=True)
class KnownDistributions:
    """Extension name -> distribution, and start of a component type name -> distribution."""

    extensions: dict[str, str]
    type_prefixes: dict[str, str]
    # The project's own distributions, in the order their extensions register (first keeps a clash)
    precedence: tuple[str, ...] = ()

    def for_extension(self, name: str) -> str | None:
        """The distribution that provides the extension called ``name``, if it is well known."""
        return self.extensions.get(name)

    def for_type(self, type_name: str) -> str | None:
        """The distribution of the longest well-known prefix of ``type_name``, if any."""
        best = max((p for p in self.type_prefixes if type_name.startswith(p)), key=len, default=None)
        return self.type_prefixes[best] if best is not None else None


def load(path: str | Path = DATA_FILE) -> KnownDistributions:
    """Reads a table like ``known_distributions.toml``; a malformed one is an ExtensionError naming it."""
    import tomllib

    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ExtensionError(f"cannot read the table of known distributions: {exc}", Location(str(path))) \
            from None
    tables = {}
    for key in ("extensions", "type_prefixes"):
        table = data.get(key, {})
        if not isinstance(table, dict) or not all(isinstance(k, str) and isinstance(v, str) and v
                                                  for k, v in table.items()):
            raise ExtensionError(f"[{key}] must map names to distribution names (strings)",
                                 Location(str(path)), 'write lines such as MyExtension = "my-distribution"')
        tables[key] = dict(table)
    precedence = data.get("precedence", {})
    order = precedence.get("distributions", []) if isinstance(precedence, dict) else None
    if not isinstance(order, list) or not all(isinstance(name, str) and name for name in order) \
            or set(precedence) - {"distributions"}:
        raise ExtensionError("[precedence] must hold one list, distributions = [names]", Location(str(path)),
                             'write distributions = ["first-distribution", "second-distribution"]')
    unknown = sorted(set(data) - set(tables) - {"precedence"})
    if unknown:
        raise ExtensionError(f"unknown table(s) {', '.join(unknown)} in the table of known distributions",
                             Location(str(path)),
                             "the tables are [extensions], [type_prefixes] and [precedence]")
    return KnownDistributions(tables["extensions"], tables["type_prefixes"], tuple(order))


@functools.cache
def known() -> KnownDistributions:
    """The table shipped with gxf-core, read on first use."""
    return load()
