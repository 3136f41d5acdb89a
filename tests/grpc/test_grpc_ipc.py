"""GrpcServer and GrpcClient: GXF's ServiceHub call across a real socket, its status codes, the health
service, and the bytes of GXF's Request and Response messages."""

from __future__ import annotations

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gxf.core import Context, ExecutionError
from gxf.grpc import GrpcClient, GrpcServer
from gxf.grpc import messages
from gxf.std import IPCRequestError


@pytest.fixture
def server():
    made = []

    def make(**params) -> GrpcServer:
        context = Context()
        server = GrpcServer("server", context.create_entity("net"))
        server.set_params(port=0, **params)
        server.initialize()
        made.append(server)
        return server

    yield make
    for server in made:
        server.deinitialize()


@pytest.fixture
def client():
    made = []

    def make(port: int, **params) -> GrpcClient:
        context = Context()
        client = GrpcClient("client", context.create_entity("c"))
        client.set_params(port=port, server_ip_address="127.0.0.1", **params)
        client.initialize()
        made.append(client)
        return client

    yield make
    for client in made:
        client.deinitialize()


def test_query_action_and_ping(server, client):
    seen = []
    hub = server()
    hub.register_service("Echo", query=lambda resource: f"got {resource}",
                         action=lambda resource, data: seen.append((resource, data)))
    caller = client(hub.bound_port)
    assert caller.ping() == "gxf::IPCServer is good\n"
    assert caller.query("Echo", "a/b") == "got a/b"
    assert caller.action("Echo", "GraphDriver", '{"x": 1}') is None
    assert seen == [("GraphDriver", '{"x": 1}')]


def test_status_codes_follow_gxf_and_name_the_reason(server, client):
    def broken(resource, data):
        raise ValueError("bad payload")

    hub = server()
    hub.register_service("Broken", action=broken)
    hub.register_service("OnlyQuery", query=lambda resource: "q")
    caller = client(hub.bound_port)
    with pytest.raises(IPCRequestError, match=r"answered NOT_FOUND .*GRPC service\[Missing\] not found") as info:
        caller.query("Missing", "x")
    assert info.value.reachable
    with pytest.raises(IPCRequestError, match="answered INTERNAL .*ValueError: bad payload"):
        caller.action("Broken", "x", "{}")
    with pytest.raises(IPCRequestError, match="answered INVALID_ARGUMENT"):
        caller.action("OnlyQuery", "x", "data")   # a query service takes one parameter, not two


def test_an_unreachable_server_is_not_reachable_and_a_request_needs_a_resource(client):
    caller = client(1, timeout_ms=500)
    with pytest.raises(IPCRequestError, match="cannot reach 127.0.0.1:1") as info:
        caller.ping()
    assert not info.value.reachable
    with pytest.raises(ExecutionError, match="needs a service and a resource"):
        caller.query("Echo", "")


def test_change_address_moves_the_calls_to_another_server(server, client):
    first, second = server(), server()
    first.register_service("Who", query=lambda r: "first")
    second.register_service("Who", query=lambda r: "second")
    caller = client(first.bound_port)
    assert caller.query("Who", "x") == "first"
    assert caller.change_address("127.0.0.1", second.bound_port).query("Who", "x") == "second"
    assert caller.target() == f"127.0.0.1:{second.bound_port}"


def test_the_health_service_reports_serving_while_the_server_runs(server, client):
    hub = server(enable_health_check=True)
    hub.register_service("Echo", query=lambda r: r)
    caller = client(hub.bound_port, enable_health_check=True)
    assert caller.ping("ServiceHub") == "SERVING"
    assert caller.ping("Echo") == "SERVING"
    with pytest.raises(IPCRequestError, match="NOT_FOUND"):
        caller.ping("NeverRegistered")
    with grpc.insecure_channel(f"127.0.0.1:{hub.bound_port}") as channel:   # gRPC's own client
        answer = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=2)
    assert answer.status == health_pb2.HealthCheckResponse.SERVING


def test_without_health_check_a_named_ping_says_how_to_turn_it_on(server, client):
    hub = server()
    with pytest.raises(IPCRequestError, match="enable_health_check") as info:
        client(hub.bound_port).ping("ServiceHub")
    assert "enable_health_check: true" in info.value.hint


def test_a_taken_port_is_refused_naming_it(server):
    hub = server()
    context = Context()
    second = GrpcServer("second", context.create_entity("n2"))
    second.set_params(port=hub.bound_port)
    with pytest.raises(ExecutionError, match=f"cannot listen on 127.0.0.1:{hub.bound_port}"):
        second.initialize()


def test_the_messages_are_gxfs_on_the_wire(server):
    # service (field 1) and params (field 2, repeated) as length-delimited strings; result (field 1)
    request_class, response_class = messages.message_classes()
    encoded = request_class(service="Echo", params=["res", "da"]).SerializeToString()
    assert encoded == b"\x0a\x04Echo" + b"\x12\x03res" + b"\x12\x02da"
    assert response_class.FromString(b"\x0a\x02ok").result == "ok"
    hub = server()
    hub.register_service("Echo", query=lambda resource: resource.upper())
    with grpc.insecure_channel(f"127.0.0.1:{hub.bound_port}") as channel:   # raw bytes, no stub of ours
        raw = channel.unary_unary("/gxf.ServiceHub/SendRequest")(b"\x0a\x04Echo\x12\x03abc", timeout=2)
    assert raw == b"\x0a\x03ABC"


def test_a_slow_action_may_take_longer_than_a_query(server, client):
    import threading

    release = threading.Event()
    hub = server()
    hub.register_service("Slow", query=lambda r: release.wait(5) and "late",
                         action=lambda r, d: release.wait(5))
    caller = client(hub.bound_port, timeout_ms=200, action_timeout_ms=5000)
    with pytest.raises(IPCRequestError, match="did not answer service 'Slow' within 200 ms") as info:
        caller.query("Slow", "x")
    assert "timeout_ms" in info.value.hint
    threading.Timer(0.5, release.set).start()
    assert caller.action("Slow", "x", "d") is None   # waits past the query's 200 ms
