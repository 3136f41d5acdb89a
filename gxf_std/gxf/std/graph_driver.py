"""GraphDriver: a System that discovers the GraphWorkers of a distributed graph and runs them together.

``connections`` lists ``{source: segment.entity.ucx_tx, target: segment.entity.ucx_rx}``; the
segments named there are the ones the driver waits for. Workers register their segments and the
addresses of their UcxReceivers (RegisterGraphWorker); once every segment is known the driver tells
each transmitter where its receiver listens (SetComponentParams: ``receiver_address`` and ``port``),
then activates and runs every worker, and collects their GraphWorkerComplete reports. When all have
reported it stops every worker and its run ends; ``results()`` says how each segment ended.

Heartbeats (this implementation's addition): while the workers run, the driver pings each of them; one
that stops answering is taken as dead: every other worker is stopped with an error naming the dead
worker's segments, and the driver's run fails with that error. A segment that fails ends the run
the same way.
"""

from __future__ import annotations

import json
import queue
import threading

from gxf.core import ExecutionError, Handle, Parameter, System

from .graph_driver_worker_common import (
    HEARTBEAT_INTERVAL_S,
    Heartbeat,
    component_params,
    parse_worker_info,
    split_address,
    split_component_path,
)
from .interfaces import IPCClient, IPCServer


class _Worker:
    def __init__(self, ip: str, port: int, segments: dict[str, dict[str, str]]):
        self.ip = ip
        self.port = port
        self.segments = segments
        self.heartbeat = Heartbeat()
        self.results: dict[str, str] | None = None

    def describe(self) -> str:
        return f"the worker at {self.ip}:{self.port} (segment{'s' if len(self.segments) != 1 else ''} " \
               f"{', '.join(sorted(self.segments))})"


class GraphDriver(System, type_name="nvidia::gxf::GraphDriver", uuid="76ca3719-fcd1-4ae3-8e06-8ce161b0f881"):
    """Coordinates the GraphWorkers of this or other processes over IPC."""

    connections = Parameter(list, [], "Connections between segments: [{source: seg.entity.tx, "
                            "target: seg.entity.rx}]")
    server = Parameter(Handle(IPCServer), description="API server that serves the driver's services")
    client = Parameter(Handle(IPCClient), description="API client that calls the workers' services")

    def initialize(self) -> None:
        super().initialize()
        self._pairs: list[tuple[str, str]] = []
        self._segment_names: set[str] = set()
        for index, item in enumerate(self.connections):
            if not isinstance(item, dict) or "source" not in item or "target" not in item:
                raise ExecutionError(f"{self.describe_self()}: connections[{index}] needs a source and a target",
                                     self.location, "write - source: seg.entity.tx  target: seg.entity.rx")
            for end in (item["source"], item["target"]):
                self._segment_names.add(split_component_path(str(end), self.describe_self())[0])
            self._pairs.append((str(item["source"]), str(item["target"])))
        if not self._pairs:
            raise ExecutionError(f"{self.describe_self()}: connections is empty", self.location,
                                 "list the UCX links between segments")
        self._workers: dict[tuple[str, int], _Worker] = {}
        self._events: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    def prepare(self, context) -> None:
        self.server.register_service("RegisterGraphWorker", action=self._on_register)
        self.server.register_service("GraphWorkerComplete", action=self._on_complete)

    def set_time_limit(self, ms: int | None) -> None:
        """The workers keep their own limits: the driver waits for them."""

    def run_async(self) -> None:
        self._thread = threading.Thread(target=self._control, name=f"graph-driver:{self.name}", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
        if self._failure is not None:
            raise self._failure

    def interrupt(self) -> None:
        self._events.put(("stop", None))

    def results(self) -> dict[str, str]:
        """Segment name -> "finished" or its failure, as the workers reported."""
        merged = {}
        for worker in self._workers.values():
            merged.update(worker.results or {})
        return merged

    # -- services
    def _on_register(self, resource: str, payload: str) -> None:
        info = parse_worker_info(payload)
        unknown = set(info["segments"]) - self._segment_names
        if unknown:
            raise ExecutionError(f"{self.describe_self()}: no connection names segment(s) "
                                 f"{', '.join(sorted(unknown))}")
        self._events.put(("register", _Worker(info["server_ip_address"], info["server_port"], info["segments"])))

    def _on_complete(self, resource: str, payload: str) -> None:
        info = json.loads(payload)
        self._events.put(("complete", ((info["server_ip_address"], int(info["server_port"])),
                                       info.get("results", {}))))

    # -- the control thread
    def _control(self) -> None:
        try:
            if self._discover():
                self._resolve_connections()
                for service in ("ActivateSegments", "RunSegments"):
                    for worker in self._workers.values():
                        self._request(worker, service)
                self._supervise()
        except BaseException as exc:  # noqa: BLE001 - raised by wait()
            self._failure = exc
            self._stop_all(str(exc))
            return
        self._stop_all("")

    def _discover(self) -> bool:
        while True:
            known = {name for worker in self._workers.values() for name in worker.segments}
            if known >= self._segment_names:
                self.logger.info("all %d segments registered", len(self._segment_names))
                return True
            what, data = self._events.get()
            if what == "stop":
                return False
            if what == "register":
                self._workers[(data.ip, data.port)] = data
                self.logger.info("registered %s", data.describe())

    def _resolve_connections(self) -> None:
        addresses = {path: address for worker in self._workers.values()
                     for segment in worker.segments.values() for path, address in segment.items()}
        for worker in self._workers.values():
            entries = []
            for source, target in self._pairs:
                if split_component_path(source, self.describe_self())[0] not in worker.segments:
                    continue
                if target not in addresses:
                    raise ExecutionError(f"{self.describe_self()}: connection {source} -> {target}: segment "
                                         f"'{target.split('.')[0]}' has no UcxReceiver {target}",
                                         self.location, "name a UcxReceiver of the target segment")
                ip, port = split_address(addresses[target])
                entries.append((source, [("receiver_address", ip, "std::string"), ("port", port, "uint32_t")]))
            if entries:
                self._request(worker, "SetComponentParams", component_params(entries))

    def _supervise(self) -> None:
        while True:
            try:
                what, data = self._events.get(timeout=HEARTBEAT_INTERVAL_S)
            except queue.Empty:
                what, data = None, None
            if what == "stop":
                return
            if what == "complete":
                worker = self._workers.get(data[0])
                if worker is not None:
                    worker.results = data[1]
                    failed = {k: v for k, v in data[1].items() if v != "finished"}
                    if failed:
                        name, why = min(failed.items())
                        raise ExecutionError(f"segment '{name}' {why}")
                if all(w.results is not None for w in self._workers.values()):
                    self.logger.info("every segment finished")
                    return
            for worker in self._workers.values():
                if worker.results is not None:
                    continue
                try:
                    self.client.change_address(worker.ip, worker.port).ping()
                    worker.heartbeat.answered()
                except ExecutionError:
                    if worker.heartbeat.lost():
                        raise ExecutionError(f"lost {worker.describe()}: no answer for "
                                             f"{worker.heartbeat.timeout_s:g} s") from None

    def _request(self, worker: _Worker, service: str, payload: str = "placeholder") -> None:
        with self._lock:
            self.client.change_address(worker.ip, worker.port).action(service, "GraphWorker", payload)

    def _stop_all(self, why: str) -> None:
        for worker in self._workers.values():
            try:
                self._request(worker, "StopWorker", why)
            except ExecutionError as exc:
                self.logger.debug("StopWorker to %s: %s", worker.describe(), exc)
