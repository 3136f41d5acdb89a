"""HttpServer and HttpIPCClient: services answer queries and actions across a real socket."""

from __future__ import annotations

import pytest
from gxf.core import Context, ExecutionError
from gxf.http import HttpIPCClient, HttpServer, IPCRequestError


@pytest.fixture
def server():
    context = Context()
    entity = context.create_entity("net")
    server = HttpServer("server", entity)
    server.set_params(port=0)
    server.initialize()
    yield server
    server.deinitialize()


def make_client(port: int, address: str = "127.0.0.1", timeout_ms: int = 2000) -> HttpIPCClient:
    context = Context()
    client = HttpIPCClient("client", context.create_entity("c"))
    client.set_params(port=port, server_ip_address=address, timeout_ms=timeout_ms)
    client.initialize()
    return client


def test_query_action_and_ping(server):
    seen = []
    server.register_service("Echo", query=lambda resource: f"got {resource}",
                            action=lambda resource, data: seen.append((resource, data)))
    client = make_client(server.bound_port)
    assert client.ping() == "ok"
    assert client.query("Echo", "a/b") == "got a/b"
    client.action("Echo", "GraphDriver", '{"x": 1}')
    assert seen == [("GraphDriver", '{"x": 1}')]


def test_unknown_service_and_failing_service_name_the_reason(server):
    def broken(resource, data):
        raise ValueError("bad payload")

    server.register_service("Broken", action=broken)
    client = make_client(server.bound_port)
    with pytest.raises(IPCRequestError, match="no query service 'Missing'") as info:
        client.query("Missing", "x")
    assert info.value.reachable
    with pytest.raises(IPCRequestError, match="ValueError: bad payload"):
        client.action("Broken", "x", "{}")


def test_unreachable_server_is_a_clear_error(server):
    port = server.bound_port
    server.deinitialize()
    client = make_client(port, timeout_ms=500)
    with pytest.raises(IPCRequestError, match=f"cannot reach http://127.0.0.1:{port}/ping") as info:
        client.ping()
    assert not info.value.reachable
    server.initialize()  # the fixture deinitializes it once more


def test_change_address_moves_the_client(server):
    client = make_client(1)
    client.change_address("127.0.0.1", server.bound_port)
    assert client.base_uri() == f"http://127.0.0.1:{server.bound_port}/"
    assert client.ping() == "ok"


def test_server_on_a_second_loopback_address():
    context = Context()
    server = HttpServer("server", context.create_entity("net"))
    server.set_params(port=0, address="127.0.0.2")
    server.initialize()
    try:
        assert make_client(server.bound_port, "127.0.0.2").ping() == "ok"
    finally:
        server.deinitialize()


def test_port_in_use_names_the_port(server):
    context = Context()
    other = HttpServer("other", context.create_entity("net2"))
    other.set_params(port=server.bound_port)
    with pytest.raises(ExecutionError, match=f"cannot listen on 127.0.0.1:{server.bound_port}"):
        other.initialize()
