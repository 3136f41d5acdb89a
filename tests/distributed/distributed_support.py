"""Graphs for the control-plane tests: segments, workers and a driver written as files in a folder.

Until a network transport is installed, the segments' links are stand-ins with the same parameters
as UCX's (``LinkTx``: receiver_address/port, ``LinkRx``: address/port), so that the driver's address
resolution is visible; the messages of each segment stay inside it.
"""

from __future__ import annotations

import socket
import textwrap
from pathlib import Path

from gxf.core import Component, Extension, Parameter, hookimpl

HEADER = "%YAML 1.2\n---\n"


class LinkTx(Component, type_name="test::distributed::LinkTx", uuid="3f1c0a52-7a31-4c55-9a8e-5a1d2c3b4e01"):
    """Where a segment's messages would go: set by the GraphDriver."""

    receiver_address = Parameter(str, "0.0.0.0", "Address of the receiving segment's link")
    port = Parameter(int, 0, "Port of the receiving segment's link")


class LinkRx(Component, type_name="test::distributed::LinkRx", uuid="3f1c0a52-7a31-4c55-9a8e-5a1d2c3b4e02"):
    """Where a segment listens: reported to the GraphDriver by its worker."""

    address = Parameter(str, "127.0.0.3", "Address listened on")
    port = Parameter(int, 13337, "Port listened on")


LINK_EXTENSION = Extension(name="TestLinkExtension", uuid="3f1c0a52-7a31-4c55-9a8e-5a1d2c3b4e00", version="1.0.0",
                           components=[LinkTx, LinkRx], distribution="tests", description="test links")


@hookimpl
def gxf_extensions():
    return LINK_EXTENSION


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def ping_segment(count: int, link: str, period_ms: int = 0) -> str:
    """A segment: ``count`` pings from tx to rx inside it (one every ``period_ms``), and one link component
    (``LinkTx``/``LinkRx``)."""
    period = (f"\n        - type: nvidia::gxf::PeriodicSchedulingTerm"
              f"\n          parameters: {{recess_period: {period_ms}ms}}"
              if period_ms else "")
    return HEADER + textwrap.dedent(f"""\
        name: tx
        components:
        - name: signal
          type: nvidia::gxf::DoubleBufferTransmitter
        - type: nvidia::gxf::PingTx
          parameters: {{signal: signal}}
        - type: nvidia::gxf::CountSchedulingTerm
          parameters: {{count: {count}}}{period}
        ---
        name: rx
        components:
        - name: signal
          type: nvidia::gxf::DoubleBufferReceiver
        - type: nvidia::gxf::PingRx
          parameters: {{signal: signal}}
        - type: nvidia::gxf::MessageAvailableSchedulingTerm
          parameters: {{receiver: signal, min_size: 1}}
        ---
        components:
        - type: nvidia::gxf::Connection
          parameters: {{source: tx/signal, target: rx/signal}}
        ---
        name: link
        components:
        - name: port
          type: {link}
        ---
        name: scheduler
        components:
        - name: clock
          type: nvidia::gxf::RealtimeClock
        - type: nvidia::gxf::GreedyScheduler
          parameters: {{clock: clock, stop_on_deadlock: true}}
        """)


#: The control plane's server and client types, by transport.
IPC = {"http": ("nvidia::gxf::HttpServer", "nvidia::gxf::HttpIPCClient"),
       "grpc": ("nvidia::gxf::GrpcServer", "nvidia::gxf::GrpcClient")}


def worker_graph(segments: dict[str, str], port: int, driver_port: int, host: str = "127.0.0.1",
                 driver_host: str = "127.0.0.1", retries: int = 3, ipc: str = "http") -> str:
    specs = ", ".join(f"{name}: {{app-path: '{path}'}}" for name, path in segments.items())
    server, client = IPC[ipc]
    return HEADER + textwrap.dedent(f"""\
        name: worker
        components:
        - name: server
          type: {server}
          parameters: {{port: {port}, address: {host}}}
        - name: client
          type: {client}
          parameters: {{server_ip_address: {driver_host}, port: {driver_port}}}
        - name: graph_worker
          type: nvidia::gxf::GraphWorker
          parameters:
            server: server
            client: client
            driver-reconnection-times: {retries}
            graph-specs: {{{specs}}}
        """)


def driver_graph(connections: list[tuple[str, str]], port: int, host: str = "127.0.0.1",
                 ipc: str = "http") -> str:
    lines = "".join(f"    - source: {s}\n      target: {t}\n" for s, t in connections)
    server, client = IPC[ipc]
    return HEADER + textwrap.dedent(f"""\
        name: driver
        components:
        - name: server
          type: {server}
          parameters: {{port: {port}, address: {host}}}
        - name: client
          type: {client}
        - name: graph_driver
          type: nvidia::gxf::GraphDriver
          parameters:
            server: server
            client: client
            connections:
        """) + lines


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path
