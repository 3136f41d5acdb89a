"""GraphWorker: a System that runs graph segments, each in a context of its own, as a GraphDriver says.

The worker loads every segment of ``graph-specs`` when the graph is activated and serves GXF's worker
services on its IPC server: SetComponentParams (the driver's resolved addresses for the segments'
transmitters), ActivateSegments, RunSegments, DeactivateSegments, DestroySegments and StopWorker. On
``run_async`` it registers its segments, with the addresses of their UcxReceivers, with the driver
(retrying ``driver-reconnection-times`` times, so a worker may start before its driver), then acts on
the driver's requests from one control thread. When every segment has ended it reports
GraphWorkerComplete with each segment's result.

Heartbeats (this implementation's addition): the worker pings the driver while it runs; a driver that
stops answering, or that reports another segment dead, ends the worker's segments and its run with an
error naming what was lost.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from pathlib import Path

from gxf.core import Context, ExecutionError, Handle, Parameter, System, runner

from .graph_driver_worker_common import (
    HEARTBEAT_INTERVAL_S,
    Heartbeat,
    parse_component_params,
    split_component_path,
    worker_info,
)
from .interfaces import IPCClient, IPCServer


def is_network_receiver(component) -> bool:
    """Whether a component listens for other segments: UCX's UcxReceiver, or any component declaring
    ``address`` and ``port`` parameters the way it does."""
    params = type(component).parameters()
    return component.type_name() == "nvidia::gxf::UcxReceiver" or ("address" in params and "port" in params
                                                                    and "receiver_address" not in params)
_SEVERITY = {0: logging.CRITICAL, 1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO, 4: logging.DEBUG,
             5: logging.DEBUG}


class _Segment:
    """One segment: its context and how its run ended."""

    def __init__(self, name: str, context: Context):
        self.name = name
        self.context = context
        self.result: str | None = None  # "finished" or the failure
        self.thread: threading.Thread | None = None


class GraphWorker(System, type_name="nvidia::gxf::GraphWorker", uuid="54b88529-2c91-436b-83b6-7f5c10369354"):
    """Runs target graphs (segments), coordinating with a GraphDriver in this or another process over IPC."""

    graph_specs = Parameter(dict, {}, "Segments: name -> {app-path, manifest-path, param-path, severity}",
                            key="graph-specs")
    driver_reconnection_times = Parameter(int, 3, "How many times to try again to register with the driver",
                                          key="driver-reconnection-times")
    server = Parameter(Handle(IPCServer), description="API server that serves this worker's services")
    client = Parameter(Handle(IPCClient), description="API client that calls the driver's services")
    initialize_segments_uri = Parameter(str, "InitializeSegments", "Service name: initialize segments",
                                        key="initialize-segments-uri")
    set_component_params_uri = Parameter(str, "SetComponentParams", "Service name: set component parameters",
                                         key="set-component-params-uri")
    activate_segments_uri = Parameter(str, "ActivateSegments", "Service name: activate segments",
                                      key="activate-segments-uri")
    run_segments_uri = Parameter(str, "RunSegments", "Service name: run all segments of this worker",
                                 key="run-segments-uri")
    deactivate_segments_uri = Parameter(str, "DeactivateSegments", "Service name: deactivate segments",
                                        key="deactivate-segments-uri")
    destroy_segments_uri = Parameter(str, "DestroySegments", "Service name: destroy segments",
                                     key="destroy-segments-uri")
    stop_worker_uri = Parameter(str, "StopWorker", "Service name: stop this worker and all its segments",
                                key="stop-worker-uri")

    def initialize(self) -> None:
        super().initialize()
        self._segments: dict[str, _Segment] = {}
        self._events: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._done = threading.Event()
        self._time_limit_ms: int | None = None
        self._retry_delay_s = 0.5

    # -- System
    def prepare(self, context) -> None:
        for name, spec in self.graph_specs.items():
            self._segments[name] = _Segment(name, self._load_segment(context, name, spec))
        server = self.server
        for uri, query, action in (
                (self.initialize_segments_uri, None, lambda r, d: None),  # loaded when the graph activates
                (self.set_component_params_uri, None, self._on_set_component_params),
                (self.activate_segments_uri, None, lambda r, d: self._call("activate")),
                (self.run_segments_uri, None, lambda r, d: self._events.put(("run", d))),
                (self.deactivate_segments_uri, None, lambda r, d: self._call("deactivate")),
                (self.destroy_segments_uri, None, lambda r, d: self._call("deactivate")),
                (self.stop_worker_uri, None, lambda r, d: self._events.put(("stop", d)))):
            server.register_service(uri, query=query, action=action)

    def _load_segment(self, context, name: str, spec) -> Context:
        where = f"{self.describe_self()}, graph-specs '{name}'"
        if not isinstance(spec, dict) or "app-path" not in spec:
            raise ExecutionError(f"{where}: needs an app-path", self.location,
                                 "write {app-path: graph.yaml, manifest-path: manifest.yaml}")
        if "." in name:
            raise ExecutionError(f"{where}: a segment name cannot contain '.'", self.location)
        segment = Context(context.registry)
        paths = [self._path(spec["app-path"])]
        if spec.get("param-path"):
            paths.append(self._path(spec["param-path"]))
        if spec.get("manifest-path") and self._path(spec["manifest-path"]).is_file():
            runner.check_manifest(self._path(spec["manifest-path"]))
        if "severity" in spec:
            logging.getLogger("gxf").setLevel(_SEVERITY.get(int(spec["severity"]), logging.INFO))
        runner.load_graphs(segment, paths)
        segment.finalize()
        return segment

    def _path(self, text: str) -> Path:
        path = Path(text)
        if path.is_absolute() or path.exists() or self.location is None or not self.location.file:
            return path
        return Path(self.location.file).parent / path

    def set_time_limit(self, ms: int | None) -> None:
        self._time_limit_ms = ms

    def run_async(self) -> None:
        self._thread = threading.Thread(target=self._control, name=f"graph-worker:{self.name}", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
        if self._failure is not None:
            raise self._failure

    def interrupt(self) -> None:
        self._events.put(("stop", ""))

    def deinitialize(self) -> None:
        for segment in self._segments.values():
            segment.context.deactivate()
        super().deinitialize()

    # -- what this worker reports
    def segment_addresses(self) -> dict[str, dict[str, str]]:
        """Segment name -> {segment.entity.component: "ip:port"} of its UcxReceivers."""
        result = {}
        for name, segment in self._segments.items():
            addresses = {}
            for component in segment.context.components():
                if is_network_receiver(component):
                    path = f"{name}.{component.entity.name}.{component.name}"
                    addresses[path] = f"{component.get_param('address')}:{component.get_param('port')}"
            result[name] = addresses
        return result

    def results(self) -> dict[str, str | None]:
        return {name: segment.result for name, segment in self._segments.items()}

    def _own_address(self) -> tuple[str, int]:
        server = self.server
        port = getattr(server, "bound_port", None) or server.get_param("port")
        host = server.host() if hasattr(server, "host") else "127.0.0.1"
        return ("127.0.0.1" if host == "0.0.0.0" else host), port

    # -- services (called on the server's threads)
    def _call(self, what: str) -> None:
        done = threading.Event()
        failure: list = []
        self._events.put((what, (done, failure)))
        done.wait()
        if failure:
            raise failure[0]

    def _on_set_component_params(self, resource: str, payload: str) -> None:
        for path, values in parse_component_params(payload):
            segment_name, entity_name, component_name = split_component_path(path, self.describe_self())
            segment = self._segments.get(segment_name)
            if segment is None:
                raise ExecutionError(f"{self.describe_self()} runs no segment '{segment_name}' ({path})")
            component = segment.context.find_component(f"{entity_name}/{component_name}")
            if component is None:
                raise ExecutionError(f"segment '{segment_name}' has no component {entity_name}/{component_name}")
            for key, value in values.items():
                component.set_param(key, value)

    # -- the control thread
    def _control(self) -> None:
        try:
            self._register()
            self._serve_driver()
        except BaseException as exc:  # noqa: BLE001 - raised by wait()
            self._failure = exc
            self._stop_segments()

    def _register(self) -> None:
        ip, port = self._own_address()
        payload = worker_info(ip, port, self.segment_addresses())
        tries = 0
        while True:
            try:
                self.client.action("RegisterGraphWorker", "GraphDriver", payload)
                return
            except ExecutionError as exc:
                tries += 1
                if tries > self.driver_reconnection_times:
                    raise ExecutionError(f"{self.describe_self()} could not register with the GraphDriver "
                                         f"after {tries} tries: {exc}", self.location,
                                         "start the driver, or raise driver-reconnection-times") from None
                self.logger.warning("GraphDriver not reachable (try %d of %d), trying again",
                                    tries, self.driver_reconnection_times + 1)
                if self._stopped_while_waiting(self._retry_delay_s * tries):
                    raise ExecutionError(f"{self.describe_self()} was stopped before the driver answered")

    def _stopped_while_waiting(self, seconds: float) -> bool:
        try:
            what, _ = self._events.get(timeout=seconds)
        except queue.Empty:
            return False
        return what == "stop"

    def _serve_driver(self) -> None:
        heartbeat = Heartbeat()
        running = False
        while True:
            try:
                what, data = self._events.get(timeout=HEARTBEAT_INTERVAL_S)
            except queue.Empty:
                what, data = None, None
            if what in ("activate", "deactivate"):
                done, failure = data
                try:
                    for segment in self._segments.values():
                        getattr(segment.context, what)()
                except BaseException as exc:  # noqa: BLE001 - the driver hears it
                    failure.append(exc)
                done.set()
            elif what == "run" and not running:
                running = True
                self._run_segments()
            elif what == "segment-ended" and all(s.result for s in self._segments.values()):
                self._report_complete()
            elif what == "stop":
                self._stop_segments()
                if data:
                    raise ExecutionError(f"{self.describe_self()} stopped: {data}")
                return
            try:
                self.client.ping()
                heartbeat.answered()
            except ExecutionError as exc:
                if heartbeat.lost():
                    raise ExecutionError(f"{self.describe_self()} lost the GraphDriver (no answer for "
                                         f"{heartbeat.timeout_s:g} s): {exc}") from None

    def _run_segments(self) -> None:
        for segment in self._segments.values():
            if self._time_limit_ms is not None:
                runner.set_time_limit(segment.context, self._time_limit_ms)
            segment.thread = threading.Thread(target=self._run_one, args=(segment,), daemon=True,
                                              name=f"segment:{segment.name}")
            segment.thread.start()
        if not self._segments:
            self._events.put(("segment-ended", None))

    def _run_one(self, segment: _Segment) -> None:
        try:
            segment.context.run()
            segment.result = "finished"
        except BaseException as exc:  # noqa: BLE001 - reported to the driver
            segment.result = f"failed: {exc}"
            self.logger.error("segment '%s' failed: %s", segment.name, exc)
        self._events.put(("segment-ended", None))

    def _report_complete(self) -> None:
        ip, port = self._own_address()
        info = json.loads(worker_info(ip, port, self.segment_addresses()))
        info["results"] = self.results()
        self.client.action("GraphWorkerComplete", "GraphDriver", json.dumps(info))

    def _stop_segments(self) -> None:
        for segment in self._segments.values():
            if segment.thread is not None:
                segment.context.interrupt()
        for segment in self._segments.values():
            if segment.thread is not None:
                segment.thread.join()
                segment.thread = None
