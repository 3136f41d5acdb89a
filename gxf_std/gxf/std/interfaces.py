"""Abstract component types of the StandardExtension that other extensions implement.

``IPCServer`` (a server answering requests from outside the graph, e.g. over HTTP or gRPC), its
counterpart ``IPCClient`` (sends such requests to a server) and ``NetworkContext`` (the shared context of a network transport, e.g. UCX) hold no behaviour here:
they are registered so that extensions can derive their components from them, and so that graphs and
tools that name them resolve to the same types and UUIDs as in GXF.
"""

from __future__ import annotations

from gxf.core import Component, ExecutionError


class IPCRequestError(ExecutionError):
    """A request of an IPCClient failed: the server could not be reached (``reachable`` False), or it
    answered that the service is missing or failed (``reachable`` True)."""

    def __init__(self, message: str, reachable: bool, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.reachable = reachable


class IPCServer(Component, type_name="nvidia::gxf::IPCServer", uuid="00e6f23d-0bf6-4c1c-ada5-630c711d3be1",
                abstract=True):
    """Interface of a server component that answers requests coming from outside the graph.

    A service has a name (the first part of a request's path) and answers queries
    (``query(resource) -> str``), actions (``action(resource, data) -> None``) or both; an
    implementation serves them from ``register_service`` on, as GXF's ``registerService`` does.
    """

    def register_service(self, name: str, query=None, action=None) -> None:
        raise NotImplementedError(f"{self.type_name()} does not implement register_service()")


class IPCClient(Component, type_name="nvidia::gxf::IPCClient", uuid="6f3cf830-7628-49a6-b925-f94171b019da",
                abstract=True):
    """Interface of a client component that sends requests to an IPCServer (its counterpart).

    An implementation answers ``query(service, resource)`` with the server's text, performs
    ``action(service, resource, data)``, ``ping(service)`` and ``change_address(ip, port)``, as
    GXF's interface has them; a request that fails raises IPCRequestError.
    """

    def query(self, service: str, resource: str) -> str:
        raise NotImplementedError(f"{self.type_name()} does not implement query()")

    def action(self, service: str, resource: str, data: str) -> None:
        raise NotImplementedError(f"{self.type_name()} does not implement action()")

    def ping(self, service: str = "ping") -> str:
        raise NotImplementedError(f"{self.type_name()} does not implement ping()")

    def change_address(self, ip: str, port: int) -> IPCClient:
        raise NotImplementedError(f"{self.type_name()} does not implement change_address()")


class NetworkContext(Component, type_name="nvidia::gxf::NetworkContext",
                     uuid="d589ce20-f3a7-4fc0-aa4e-d6f40f6c0eeb", abstract=True):
    """Interface of the component holding a network transport's shared context."""
