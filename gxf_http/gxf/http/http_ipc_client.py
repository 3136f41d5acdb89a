"""HttpIPCClient: the IPCClient that sends queries (GET) and actions (POST) to an HttpServer."""

from __future__ import annotations

import urllib.error
import urllib.request

from gxf.core import Parameter
from gxf.std import IPCClient, IPCRequestError


class HttpIPCClient(IPCClient, type_name="nvidia::gxf::HttpIPCClient",
                    uuid="695479d5-28db-4a4e-bbbd-a2b1af390297"):
    """A light-weight HTTP API client for the services of an HttpServer."""

    port = Parameter(int, 50000, "Port of the server")
    server_ip_address = Parameter(str, "0.0.0.0", "Address of the server (0.0.0.0: this host)")
    use_https = Parameter(bool, False, "Use TLS: https instead of http")
    content_type = Parameter(str, "application/json", "Content type of the actions' payloads",
                             key="content-type")
    timeout_ms = Parameter(int, 2000, "How long a query or ping may take (ms) before it fails")
    action_timeout_ms = Parameter(int, 60000, "How long an action may take (ms) before it fails: actions "
                                  "such as activating a worker's segments wait for the work", minimum=1)

    def initialize(self) -> None:
        super().initialize()
        self._base = self._make_base(self.server_ip_address, self.port)

    def _make_base(self, ip: str, port: int) -> str:
        host = "127.0.0.1" if ip in ("0.0.0.0", "", "localhost") else ip
        return f"{'https' if self.use_https else 'http'}://{host}:{port}/"

    def base_uri(self) -> str:
        return self._base

    def change_address(self, ip: str, port: int) -> HttpIPCClient:
        self._base = self._make_base(ip, port)
        return self

    def query(self, service: str, resource: str = "") -> str:
        return self._request(f"{service}/{resource}" if resource else service)

    def action(self, service: str, resource: str = "", data: str = "") -> None:
        self._request(f"{service}/{resource}" if resource else service, data.encode(), self.action_timeout_ms)

    def ping(self, service: str = "ping") -> str:
        return self._request(service)

    def _request(self, path: str, data: bytes | None = None, timeout_ms: int | None = None) -> str:
        url = self._base + path
        request = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
        if data is not None:
            request.add_header("Content-Type", self.content_type)
        try:
            with urllib.request.urlopen(request, timeout=(timeout_ms or self.timeout_ms) / 1000) as response:
                return response.read().decode()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode(errors="replace")
            raise IPCRequestError(f"{self.describe_self()}: {url} answered {exc.code}: {body}",
                                  reachable=True) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise IPCRequestError(f"{self.describe_self()}: cannot reach {url}: {reason}", reachable=False,
                                  hint="check that the server runs and its address and port") from None
