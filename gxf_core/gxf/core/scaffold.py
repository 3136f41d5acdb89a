"""Starting points: ``gxf new extension NAME`` and ``gxf new codelet NAME`` write them.

``new_extension`` writes a third-party extension distribution that installs and passes its own tests as
written: a pyproject.toml with the ``gxf.extensions`` entry point, a package whose extension holds one
codelet with parameters (``Ramp``: publishes evenly spaced numbers), a graph that runs it into the
standard ``PingRx``, and a test of both. ``new_codelet`` writes a Python codelet file for GXF's Python
codelet API (``PyCodeletV0``) and a graph that runs it.

Names: ``acme-vision``, ``acme_vision`` and ``AcmeVision`` all give the distribution ``acme-vision``,
the package ``acme_vision``, the extension ``AcmeVisionExtension`` and the type namespace
``acme_vision::``. Nothing is overwritten: a file already there is an error that names it.
"""

from __future__ import annotations

import keyword
import re
import uuid
from pathlib import Path

from . import known_distributions
from .errors import GxfError

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")


def name_words(name: str) -> list[str]:
    """The words of a name written in kebab-, snake- or CamelCase, lower case."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]*", name or ""):
        raise GxfError(f"'{name}' is not a usable name",
                       hint="use letters, digits, '-' and '_', starting with a letter (e.g. acme-vision)")
    words = [w.lower() for part in re.split(r"[-_]+", name) if part for w in _WORDS.findall(part)]
    if not words:
        raise GxfError(f"'{name}' is not a usable name", hint="e.g. acme-vision")
    return words


def camel(words: list[str]) -> str:
    return "".join(w.capitalize() for w in words)


def _write_all(files: dict[Path, str]) -> list[Path]:
    """Writes every file, or none when one of them is already there."""
    there = [path for path in files if path.exists()]
    if there:
        raise GxfError(f"{there[0]} already exists; nothing was written",
                       hint="remove it, or choose another name or --directory")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


def _fill(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace(f"@{key}@", value)
    leftover = re.search(r"@[A-Z_]+@", template)
    assert leftover is None, f"template value {leftover.group()} is not filled"
    return template


# --- gxf new extension ----------------------------------------------------------------------------------
def new_extension(name: str, directory: str | Path = ".", version: str = "0.1.0") -> list[Path]:
    """Writes a new extension distribution into ``directory/<distribution name>``; returns the files."""
    words = name_words(name)
    package = "_".join(words)
    if keyword.iskeyword(package) or package in ("gxf", "test", "tests"):
        raise GxfError(f"'{name}' would make a package called '{package}', which Python or gxf needs",
                       hint="choose a more specific name, e.g. acme-" + "-".join(words))
    core_version = _installed_version("gxf-core")
    values = {
        "DIST": "-".join(words), "PKG": package, "NS": package, "EXT": camel(words) + "Extension",
        "TITLE": " ".join(w.capitalize() for w in words), "VERSION": version,
        "EXT_UUID": str(uuid.uuid4()), "RAMP_UUID": str(uuid.uuid4()),
        "CORE_VERSION": _release(core_version),
        # The codelet, queues and messages it uses come from the StandardExtension's distribution.
        "STD_DIST": _standard_distribution(),
    }
    root = Path(directory) / values["DIST"]
    files = {
        root / "pyproject.toml": _fill(EXT_PYPROJECT, values),
        root / "README.md": _fill(EXT_README, values),
        root / package / "__init__.py": _fill(EXT_INIT, values),
        root / package / "ramp.py": _fill(EXT_RAMP, values),
        root / package / "graphs" / "ramp.yaml": _fill(EXT_GRAPH, values),
        root / "tests" / f"test_{package}.py": _fill(EXT_TEST, values),
    }
    return _write_all(files)


def _standard_distribution() -> str:
    """The distribution of the StandardExtension, as the table of known distributions names it."""
    name = known_distributions.load().for_extension("StandardExtension")
    if not name:
        raise GxfError("the table of known distributions names no distribution for StandardExtension",
                       hint=f"add it to {known_distributions.DATA_FILE}")
    return name


def _installed_version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "0.1.0"


def _release(version: str) -> str:
    """'0.1.0.dev3' -> '0.1.0': the lowest version of gxf-core a new extension asks for."""
    found = re.match(r"\d+(\.\d+)*", version or "")
    return found.group() if found else "0.1.0"


EXT_PYPROJECT = '''[build-system]
requires = ["setuptools>=70.1"]
build-backend = "setuptools.build_meta"

[project]
name = "@DIST@"
version = "@VERSION@"
description = "@TITLE@: a GXF extension"
requires-python = ">=3.11"
dependencies = ["gxf-core>=@CORE_VERSION@", "@STD_DIST@>=@CORE_VERSION@"]

[project.optional-dependencies]
test = ["pytest>=8"]

# How gxf finds the extension: this module implements the gxf_extensions hook.
[project.entry-points."gxf.extensions"]
@PKG@ = "@PKG@"

[tool.setuptools]
packages = ["@PKG@", "@PKG@.graphs"]

[tool.setuptools.package-data]
"@PKG@.graphs" = ["*.yaml"]

[tool.pytest.ini_options]
testpaths = ["tests"]
'''

EXT_README = '''# @DIST@

@TITLE@: a GXF extension (`@EXT@`), found by `gxf` through the `gxf.extensions` entry point in
pyproject.toml once the distribution is installed.

```
pip install -e '.[test]'       # next to gxf-core and @STD_DIST@
pytest                          # the tests in tests/
gxf list                        # shows @EXT@ and its component types
gxf describe @NS@::Ramp         # its parameters
gxf run @PKG@/graphs/ramp.yaml  # the example graph
gxf graph @PKG@/graphs/ramp.yaml -o ramp.svg
```

Add a component type: write its class (a `Codelet` or any `Component`, with `type_name` and a new
`uuid`), then list it in `EXTENSION` in `@PKG@/__init__.py`.
'''

EXT_INIT = '''"""@EXT@: @TITLE@, a GXF extension.

gxf finds it through the ``gxf.extensions`` entry point in pyproject.toml, which names this module:
the module implements the ``gxf_extensions`` hook. Its graphs are installed with it, in ``GRAPHS``.
"""

from pathlib import Path

from gxf.core import Extension, hookimpl

from .ramp import Ramp

__all__ = ["EXTENSION", "GRAPHS", "Ramp"]

GRAPHS = Path(__file__).with_name("graphs")

EXTENSION = Extension(
    name="@EXT@",
    uuid="@EXT_UUID@",
    version="@VERSION@",
    components=[Ramp],
    license="Apache-2.0",
    author="",
    description="@TITLE@",
    display_name="@TITLE@",
    category="Utility",
)


@hookimpl
def gxf_extensions():
    return EXTENSION
'''

EXT_RAMP = '''"""Ramp: a codelet that publishes evenly spaced numbers, one message per tick."""

from __future__ import annotations

from gxf.core import Handle, MessageEntity, Parameter
from gxf.std import Codelet, Float64, Transmitter


class Ramp(Codelet, type_name="@NS@::Ramp", uuid="@RAMP_UUID@"):
    """Publishes ``first``, ``first + step``, ``first + 2 * step``, ... as a double called ``value``.

    How many messages go out is up to the entity's scheduling terms (a CountSchedulingTerm, say).
    """

    signal = Parameter(Handle(Transmitter), description="Where the messages go")
    first = Parameter(float, 0.0, "The first number")
    step = Parameter(float, 1.0, "How much each number is larger than the one before")

    def initialize(self) -> None:
        self.sent = 0
        self.last = None

    def tick(self) -> None:
        self.last = self.first + self.sent * self.step
        message = MessageEntity(self.context)
        message.add(Float64(self.last), "value")
        self.signal.publish(message)
        self.sent += 1
'''

EXT_GRAPH = '''# Ramp sends five numbers (1.0, 1.5, ... 3.0) to the standard PingRx.
#   gxf run @PKG@/graphs/ramp.yaml
---
dependencies:
- extension: StandardExtension
- extension: SampleExtension
- extension: @EXT@
  uuid: @EXT_UUID@
  version: @VERSION@
---
name: source
components:
- name: signal
  type: nvidia::gxf::DoubleBufferTransmitter
- name: ramp
  type: @NS@::Ramp
  parameters:
    signal: signal
    first: 1.0
    step: 0.5
- type: nvidia::gxf::CountSchedulingTerm
  parameters:
    count: 5
- type: nvidia::gxf::DownstreamReceptiveSchedulingTerm
  parameters:
    transmitter: signal
    min_size: 1
---
name: sink
components:
- name: signal
  type: nvidia::gxf::DoubleBufferReceiver
- name: rx
  type: nvidia::gxf::PingRx
  parameters:
    signal: signal
- type: nvidia::gxf::MessageAvailableSchedulingTerm
  parameters:
    receiver: signal
    min_size: 1
---
components:
- type: nvidia::gxf::Connection
  parameters:
    source: source/signal
    target: sink/signal
---
name: scheduler
components:
- name: clock
  type: nvidia::gxf::ManualClock
- type: nvidia::gxf::GreedyScheduler
  parameters:
    clock: clock
    stop_on_deadlock: true
    max_duration_ms: 10000
'''

EXT_TEST = '''"""@EXT@ as installed: found through its entry point, and its graph runs."""

from gxf.core import Context, load_graph_file, plugins

from @PKG@ import EXTENSION, GRAPHS, Ramp


def test_the_extension_is_found_through_its_entry_point():
    registry = plugins.default_registry()
    assert registry.extensions.get("@EXT@") is EXTENSION
    assert registry.component_class("@NS@::Ramp") is Ramp


def test_ramp_declares_its_parameters():
    assert set(Ramp.parameters()) == {"signal", "first", "step"}
    assert Ramp.parameters()["step"].default == 1.0


def test_the_graph_runs_and_every_number_arrives():
    context = Context()
    load_graph_file(context, GRAPHS / "ramp.yaml")
    context.run()
    ramp = context.find_component("source/ramp")
    assert ramp.sent == 5
    assert ramp.last == 1.0 + 4 * 0.5
    assert context.find_component("sink/rx").count == 5
'''


# --- gxf new codelet ------------------------------------------------------------------------------------
def new_codelet(name: str, directory: str | Path = ".") -> list[Path]:
    """Writes ``<Name>.py`` (a Python codelet) and ``<name>.yaml`` (a graph running it) into ``directory``."""
    words = name_words(name)
    cls = camel(words)
    values = {"CLS": cls, "FILE": f"{cls}.py", "GRAPH": "_".join(words) + ".yaml"}
    root = Path(directory)
    files = {root / values["FILE"]: _fill(CODELET, values), root / values["GRAPH"]: _fill(CODELET_GRAPH, values)}
    return _write_all(files)


CODELET = '''"""@CLS@: a Python codelet (GXF's Python codelet API), run by a PyCodeletV0 component.

Its graph (``codelet_name: @CLS@``, ``codelet_file: @FILE@``) ticks it as its scheduling terms allow;
``codelet_params`` hands it values (``get_params()``), here how many ticks to expect.
"""

import logging

from gxf.python_codelet import CodeletAdapter


class @CLS@(CodeletAdapter):
    """Counts its ticks and checks, when it stops, that it ticked ``expected`` times."""

    def start(self):
        self.expected = int(self.get_params().get("expected", 0))
        self.ticks = 0
        self.log = logging.getLogger("gxf.@CLS@")

    def tick(self):
        self.ticks += 1
        self.log.info("%s: tick %d at %d ns", self.name(), self.ticks, self.get_execution_timestamp())

    def stop(self):
        if self.expected and self.ticks != self.expected:
            raise RuntimeError(f"expected {self.expected} ticks, got {self.ticks}")
'''

CODELET_GRAPH = '''# Runs the Python codelet @CLS@ (@FILE@) ten times.
#   gxf run @GRAPH@
---
dependencies:
- extension: StandardExtension
- extension: PythonCodeletExtension
---
name: worker
components:
- name: codelet
  type: nvidia::gxf::PyCodeletV0
  parameters:
    codelet_name: @CLS@
    codelet_file: @FILE@          # relative to this file
    codelet_params: "expected=10"
- type: nvidia::gxf::CountSchedulingTerm
  parameters:
    count: 10
---
name: scheduler
components:
- name: clock
  type: nvidia::gxf::ManualClock
- type: nvidia::gxf::GreedyScheduler
  parameters:
    clock: clock
    stop_on_deadlock: true
    max_duration_ms: 10000
'''
