"""A small extension for the core's tests: components with every parameter type, and a test scheduler.

Registered per test by the ``registry`` fixture (tests/core/conftest.py) through ``gxf.core.plugins``.
"""

from __future__ import annotations

import enum
import os
import signal
import threading
from typing import Literal, Optional

from gxf.core import (Component, Duration, Extension, FilePath, Frequency, Handle, Parameter, ParameterError,
                      Size, System, hookimpl)

EXTENSION_NAME = "CoreTestExtension"
EXTENSION_UUID = "5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d00"
DISTRIBUTION = "gxf-core-tests"

# What Recorder components and TestScheduler did, in order: ("initialize", "entity/name"), ...
EVENTS: list[tuple[str, str]] = []


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Sink(Component, type_name="test::Sink", uuid="5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d01", abstract=True):
    """Something values can be sent to."""


class Store(Sink, type_name="test::Store", uuid="5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d02"):
    """Keeps the values it is given."""

    capacity = Parameter(int, 4, "How many values to keep")


class Other(Component, type_name="test::Other", uuid="5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d03"):
    """A component that is not a Sink."""


class Everything(Component, type_name="test::Everything", uuid="5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d04"):
    """Declares one parameter of every kind."""

    flag = Parameter(bool, False, "A switch")
    count = Parameter(int, 1, "A whole number")
    ratio = Parameter(float, 0.5, "A real number")
    label = Parameter(str, "none", "Some text")
    numbers = Parameter(list[int], [], "A list of whole numbers")
    table = Parameter(dict[str, float], {}, "Names to numbers")
    color = Parameter(Color, Color.RED, "An enum")
    mode = Parameter(Literal["fast", "exact"], "fast", "A literal choice")
    limit = Parameter(Optional[int], None, "A number or null")
    buffer = Parameter(Size, "1KB", "A size")
    rate = Parameter(Frequency, "10Hz", "A frequency")
    period = Parameter(Duration, "5ms", "A duration")
    path = Parameter(FilePath, optional=True, description="A file")


class Source(Component, type_name="test::Source", uuid="5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d05"):
    """Sends values to sinks."""

    target = Parameter(Handle(Sink), description="Where values go")
    extra = Parameter(list[Handle(Sink)], [], "More sinks")
    by_name = Parameter(Handle("test::Store"), optional=True, description="A handle typed by name")


class Needs(Component, type_name="test::Needs", uuid="5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d06"):
    """Has a required parameter."""

    value = Parameter(int, description="Must be set")


class Recorder(Component, type_name="test::Recorder", uuid="5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d07"):
    """Writes its lifecycle calls into EVENTS."""

    fail_on_initialize = Parameter(bool, False, "Raise in initialize()")

    def initialize(self) -> None:
        if self.fail_on_initialize:
            raise RuntimeError("refusing to initialize")
        EVENTS.append(("initialize", self.handle_text()))

    def deinitialize(self) -> None:
        EVENTS.append(("deinitialize", self.handle_text()))


class Checked(Component, type_name="test::Checked", uuid="5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d09"):
    """Declares ranges and choices, and checks a relation of two parameters in preflight()."""

    low = Parameter(int, 0, "Zero or more", minimum=0)
    high = Parameter(int, 10, "From 0 to 100", minimum=0, maximum=100)
    ratio = Parameter(Optional[float], None, "From 0 to 1, or null", minimum=0.0, maximum=1.0)
    level = Parameter(int, 1, "1, 2 or 3", choices=(1, 2, 3))
    sizes = Parameter(list[int], [], "Each 1 or more", minimum=1)

    def preflight(self) -> None:
        EVENTS.append(("preflight", self.handle_text()))
        if self.low > self.high:
            raise ParameterError(f"{self.describe_self()}: low ({self.low}) is above high ({self.high})",
                                 self.location, "make 'low' at most 'high'")

    def initialize(self) -> None:
        EVENTS.append(("initialize", self.handle_text()))


class TestScheduler(System, type_name="test::TestScheduler", uuid="5a0c2d1e-6f7a-4b8c-9d0e-1f2a3b4c5d08"):
    """Runs nothing; records run/wait/interrupt. Can simulate Ctrl-C or SIGTERM during the run."""

    __test__ = False  # not a pytest test class

    max_duration_ms = Parameter(int, optional=True, description="Kept for the --max-duration-ms option")
    on_wait = Parameter(Literal["return", "ctrl-c", "sigterm", "fail", "block"], "return",
                        "What wait() does: return, raise KeyboardInterrupt once, SIGTERM this process, "
                        "raise an error, or print 'running' and block until interrupted (at most 10 s)")

    def initialize(self) -> None:
        self._stop = threading.Event()
        self._waits = 0

    def set_time_limit(self, ms: int | None) -> None:
        self.set_param("max_duration_ms", ms)

    def run_async(self) -> None:
        EVENTS.append(("run", self.handle_text()))
        if self.max_duration_ms is not None:
            EVENTS.append(("max_duration_ms", str(self.max_duration_ms)))

    def wait(self) -> None:
        self._waits += 1
        EVENTS.append(("wait", self.handle_text()))
        if self.on_wait == "ctrl-c" and self._waits == 1:
            raise KeyboardInterrupt
        if self.on_wait == "sigterm" and self._waits == 1:
            os.kill(os.getpid(), signal.SIGTERM)
            self._stop.wait(5)
        if self.on_wait == "block" and not self._stop.is_set():
            print("running", flush=True)
            self._stop.wait(10)
        if self.on_wait == "fail":
            raise ValueError("the scheduler broke")

    def interrupt(self) -> None:
        EVENTS.append(("interrupt", self.handle_text()))
        self._stop.set()


EXTENSION = Extension(
    name=EXTENSION_NAME, uuid=EXTENSION_UUID, version="1.2.0",
    components=[Sink, Store, Other, Everything, Source, Needs, Recorder, Checked, TestScheduler],
    author="tests", description="Components for the core's tests", distribution=DISTRIBUTION,
)


@hookimpl
def gxf_extensions():
    return EXTENSION
