"""HttpClient: the interface of a plain HTTP client that talks to an HttpServer."""

from __future__ import annotations

from gxf.core import Component


class HttpClient(Component, type_name="nvidia::gxf::HttpClient", uuid="fb4e20e4-15c8-4cb4-ad87-9c161d326748",
                 abstract=True):
    """Interface of a basic HTTP client: GET and POST requests by path, answered with the body text."""

    def get_request(self, uri: str) -> str:
        raise NotImplementedError(f"{self.type_name()} does not implement get_request()")

    def post_request(self, uri: str, payload: str, content_type: str = "application/json") -> str:
        raise NotImplementedError(f"{self.type_name()} does not implement post_request()")
