"""GrpcServer: an IPCServer whose services answer GXF's ``gxf.ServiceHub/SendRequest`` calls, served by grpcio.

A request names a service and gives its parameters: one (the resource) calls the service's query and
answers its text, two (resource and data) call its action. As in GXF, a name no service has answers
NOT_FOUND, a wrong number of parameters INVALID_ARGUMENT, and a service that raises INTERNAL (here with
the reason). The ``ping`` query answers ``<resource> is good``. grpcio serves the calls on threads of its
own from ``initialize`` to ``deinitialize``, so a graph's scheduler and the services' callers never wait
for each other. grpcio is imported only when a graph has a GrpcServer.
"""

from __future__ import annotations

import threading
from concurrent import futures

from gxf.core import ExecutionError, Parameter
from gxf.std import IPCServer

from . import messages

WORKER_THREADS = 8
STOP_GRACE_S = 1.0


class GrpcServer(IPCServer, type_name="nvidia::gxf::GrpcServer", uuid="0e6b2f6c-057a-8431-925b-fa476c3265b6"):
    """IPC server on gRPC: registered services answer queries and actions sent by GrpcClients."""

    port = Parameter(int, 50000, "gRPC port to listen on (0: any free port, see bound_port)",
                     minimum=0, maximum=65535)
    remote_access = Parameter(bool, False, "Accept calls from other hosts (listen on every address) "
                              "instead of this host's loopback only")
    enable_health_check = Parameter(bool, False, "Also serve gRPC's standard health service "
                                    "(grpc.health.v1.Health): ServiceHub and every registered service "
                                    "report SERVING while the server runs")
    address = Parameter(str, optional=True, description="Address to listen on; overrides remote_access "
                        "(e.g. 127.0.0.2 to simulate a second host on one machine)")

    def initialize(self) -> None:
        super().initialize()
        grpc = messages.import_grpc()  # only when a graph serves

        self._lock = threading.Lock()
        self._queries: dict = {"ping": lambda resource: f"{resource} is good\n"}
        self._actions: dict = {}
        self._health = None
        request_class, _ = messages.message_classes()
        handler = grpc.unary_unary_rpc_method_handler(
            self._send_request, request_deserializer=request_class.FromString,
            response_serializer=lambda response: response.SerializeToString())
        # grpcio shares a port between servers by default (SO_REUSEPORT): one port, one server here
        self._server = grpc.server(futures.ThreadPoolExecutor(WORKER_THREADS,
                                                              thread_name_prefix=f"grpc-server:{self.name}"),
                                   options=[("grpc.so_reuseport", 0)])
        self._server.add_generic_rpc_handlers(
            (grpc.method_handlers_generic_handler(messages.SERVICE, {messages.METHOD: handler}),))
        if self.enable_health_check:
            from grpc_health.v1 import health, health_pb2_grpc

            self._health = health.HealthServicer()
            health_pb2_grpc.add_HealthServicer_to_server(self._health, self._server)
        try:
            self.bound_port = self._server.add_insecure_port(f"{self.host()}:{self.port}")
        except RuntimeError as exc:
            self.bound_port = 0
            reason = exc
        else:
            reason = None
        if not self.bound_port:
            self._server.stop(None)
            raise ExecutionError(f"{self.describe_self()} cannot listen on {self.host()}:{self.port}"
                                 + (f": {reason}" if reason else ""), self.location,
                                 "choose a free port, or stop the process that holds it")
        self._server.start()
        self._set_serving("", True)
        self._set_serving(messages.MAIN_SERVICE, True)

    def host(self) -> str:
        if self.address:
            return self.address
        return "0.0.0.0" if self.remote_access else "127.0.0.1"

    def register_service(self, name: str, query=None, action=None) -> None:
        if query is None and action is None:
            raise ExecutionError(f"{self.describe_self()}: service '{name}' needs a query or an action")
        with self._lock:
            if query is not None:
                self._queries[name] = query
            if action is not None:
                self._actions[name] = action
        self._set_serving(name, True)

    def deinitialize(self) -> None:
        server = getattr(self, "_server", None)
        if server is not None:
            if self._health is not None:
                self._health.enter_graceful_shutdown()  # every service NOT_SERVING from now on
            server.stop(STOP_GRACE_S).wait(STOP_GRACE_S + 1)
            self._server = None
        super().deinitialize()

    def _set_serving(self, name: str, serving: bool) -> None:
        if self._health is not None:
            from grpc_health.v1 import health_pb2

            status = health_pb2.HealthCheckResponse.SERVING if serving else \
                health_pb2.HealthCheckResponse.NOT_SERVING
            self._health.set(name, status)

    # grpcio's threads
    def _send_request(self, request, context):
        grpc = messages.import_grpc()

        service, params = request.service, list(request.params)
        with self._lock:
            query, action = self._queries.get(service), self._actions.get(service)
        _, response_class = messages.message_classes()
        if query is None and action is None:
            self._set_serving(service, False)
            context.abort(grpc.StatusCode.NOT_FOUND, f"GRPC service[{service}] not found")
        if len(params) == 1 and query is not None:
            call, args = query, params
        elif len(params) == 2 and action is not None:
            call, args = action, params
        else:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                          f"service '{service}' takes 1 parameter (a query's resource) or 2 (an action's "
                          f"resource and data), not {len(params)}")
        try:
            result = call(*args)
        except Exception as exc:  # noqa: BLE001 - the caller gets the reason
            context.abort(grpc.StatusCode.INTERNAL, f"{type(exc).__name__}: {exc}")
        return response_class(result="" if result is None or call is action else str(result))
