"""GrpcClient: the IPCClient that sends queries and actions to a GrpcServer (or GXF's own) over gRPC."""

from __future__ import annotations

import threading

from gxf.core import ExecutionError, Parameter
from gxf.std import IPCClient, IPCRequestError

from . import messages

PING_SERVICE = "ping"


class GrpcClient(IPCClient, type_name="nvidia::gxf::GrpcClient", uuid="f05f8a46-b4ce-4e3d-bd9c-326680abea03"):
    """IPC client on gRPC: calls the services of a GrpcServer."""

    port = Parameter(int, 50000, "Port of the server", minimum=0, maximum=65535)
    server_ip_address = Parameter(str, "0.0.0.0", "Address of the server (0.0.0.0: this host)")
    enable_health_check = Parameter(bool, False, "Ask the server's gRPC health service in ping(name) for "
                                    "a name other than 'ping'")
    timeout_ms = Parameter(int, 2000, "How long a query or ping may take (ms) before it fails", minimum=1)
    action_timeout_ms = Parameter(int, 60000, "How long an action may take (ms) before it fails: actions "
                                  "such as activating a worker's segments wait for the work", minimum=1)

    def initialize(self) -> None:
        super().initialize()
        grpc = messages.import_grpc()  # only when a graph calls

        self._grpc = grpc
        self._lock = threading.Lock()
        self._channels: dict[str, object] = {}
        self._target = self._address(self.server_ip_address, self.port)

    def deinitialize(self) -> None:
        for channel in getattr(self, "_channels", {}).values():
            channel.close()
        self._channels = {}
        super().deinitialize()

    @staticmethod
    def _address(ip: str, port: int) -> str:
        host = "127.0.0.1" if ip in ("0.0.0.0", "", "localhost") else ip
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def target(self) -> str:
        """``host:port`` of the server the calls go to."""
        return self._target

    def change_address(self, ip: str, port: int) -> GrpcClient:
        self._target = self._address(ip, port)
        return self

    def query(self, service: str, resource: str) -> str:
        return self._call(service, [resource], self.timeout_ms)

    def action(self, service: str, resource: str, data: str) -> None:
        self._call(service, [resource, data], self.action_timeout_ms)

    def ping(self, service: str = PING_SERVICE) -> str:
        """The server's own ping (``'<resource> is good'``), or for another name, with
        enable_health_check, what gRPC's health service says of it: SERVING, NOT_SERVING, ..."""
        if service == PING_SERVICE:
            return self.query(PING_SERVICE, "gxf::IPCServer")
        if not self.enable_health_check:
            raise IPCRequestError(f"{self.describe_self()}: ping('{service}') asks the health service, "
                                  "which enable_health_check leaves off", reachable=True,
                                  hint="set enable_health_check: true (on the server too), or ping() "
                                  "the server itself")
        from grpc_health.v1 import health_pb2, health_pb2_grpc

        stub = health_pb2_grpc.HealthStub(self._channel(self._target))
        try:
            answer = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=self.timeout_ms / 1000)
        except self._grpc.RpcError as exc:
            raise self._failure(f"health of '{service}'", exc, self.timeout_ms) from None
        return health_pb2.HealthCheckResponse.ServingStatus.Name(answer.status)

    def _channel(self, target: str):
        with self._lock:
            channel = self._channels.get(target)
            if channel is None:
                channel = self._channels[target] = self._grpc.insecure_channel(target)
            return channel

    def _call(self, service: str, params: list[str], timeout_ms: int) -> str:
        if not service or not params[0]:
            raise ExecutionError(f"{self.describe_self()}: a request needs a service and a resource, got "
                                 f"{service!r} and {params[0]!r}")
        request_class, response_class = messages.message_classes()
        call = self._channel(self._target).unary_unary(
            messages.PATH, request_serializer=lambda request: request.SerializeToString(),
            response_deserializer=response_class.FromString)
        try:
            response = call(request_class(service=service, params=params), timeout=timeout_ms / 1000)
        except self._grpc.RpcError as exc:
            raise self._failure(f"service '{service}'", exc, timeout_ms) from None
        return response.result

    def _failure(self, what: str, exc, timeout_ms: int) -> IPCRequestError:
        code = exc.code()
        codes = self._grpc.StatusCode
        if code == codes.DEADLINE_EXCEEDED:
            return IPCRequestError(f"{self.describe_self()}: {self._target} did not answer {what} within "
                                   f"{timeout_ms} ms", reachable=False,
                                   hint="a busy or stuck server, or one that is not there: raise timeout_ms "
                                   "(queries) or action_timeout_ms (actions) if it is only slow")
        if code == codes.UNAVAILABLE:
            return IPCRequestError(f"{self.describe_self()}: cannot reach {self._target} for {what}: "
                                   f"{exc.details() or code.name}", reachable=False,
                                   hint="check that the server runs and its address and port")
        return IPCRequestError(f"{self.describe_self()}: {self._target} answered {code.name} for {what}: "
                               f"{exc.details()}", reachable=True)
