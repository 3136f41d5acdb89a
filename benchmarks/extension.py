"""BenchmarkExtension: the probe codelets the workloads need, as a small local extension.

Registered in-process with ``gxf.core.plugins.register`` (``install()``); nothing is installed with pip.
The latency probes stamp ``acqtime`` from the scheduler's clock at the source and read the same clock at
the sink; the tensor probes check that a tensor arrives without a copy.
"""

from __future__ import annotations

from gxf.core import Extension, Handle, MessageEntity, Parameter, hookimpl
from gxf.core import plugins
from gxf.std.clock import Clock
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver, Transmitter
from gxf.std.timestamp import Timestamp

from . import tensor_probes

PLUGIN_NAME = "gxf-benchmarks"


class LatencySource(Codelet, type_name="gxf::benchmarks::LatencySource",
                    uuid="85b86dca-7b25-449f-bbc1-6900804bffb2"):
    """Publishes an empty message each tick with ``acqtime`` = the clock's time of the tick."""

    signal = Parameter(Handle(Transmitter), description="Where the messages go")
    clock = Parameter(Handle(Clock), description="The clock acqtime is read from")

    def initialize(self) -> None:
        self.sent = 0
        self.first_acqtime = None

    def tick(self) -> None:
        now = self.clock.timestamp()
        if self.first_acqtime is None:
            self.first_acqtime = now
        self.signal.publish(MessageEntity(self.context), now)
        self.sent += 1


class LatencySink(Codelet, type_name="gxf::benchmarks::LatencySink",
                  uuid="04e12f4d-9ff8-46fa-8ce6-439214bc84b8"):
    """Receives a message each tick and records clock time minus the message's ``acqtime`` (ns)."""

    signal = Parameter(Handle(Receiver), description="Where the messages come from")
    clock = Parameter(Handle(Clock), description="The clock receipt is read from (the source's clock)")

    def initialize(self) -> None:
        self.latencies: list[int] = []
        self.first_acqtime = None

    def tick(self) -> None:
        message = self.signal.receive()
        now = self.clock.timestamp()
        if message is None:
            raise RuntimeError("ticked without a message to receive")
        stamp = message.get(Timestamp)
        if stamp is None:
            raise RuntimeError("the message has no Timestamp: its acqtime was lost on the way")
        if self.first_acqtime is None:
            self.first_acqtime = stamp.acqtime
        self.latencies.append(now - stamp.acqtime)


COMPONENTS: list = [LatencySource, LatencySink, *tensor_probes.COMPONENTS]

BENCHMARK_EXTENSION = Extension(
    name="BenchmarkExtension",
    uuid="44d56eea-8f0b-4ecf-ac63-03d9e8df81d9",
    version="0.1.0",
    components=COMPONENTS,
    author="gxf benchmarks",
    description="Probe codelets of the benchmark harness: latency and zero-copy tensor sources and sinks",
    display_name="Benchmark Extension",
    category="Benchmarks",
)


@hookimpl
def gxf_extensions():
    return BENCHMARK_EXTENSION


def install() -> None:
    """Registers this extension in the running process (once)."""
    import sys

    if not plugins.pm.has_plugin(PLUGIN_NAME):
        plugins.register(sys.modules[__name__], name=PLUGIN_NAME, distribution="benchmarks (local)")
