"""HttpServer: an IPCServer whose services answer HTTP requests, served by aiohttp.

A GET of ``/<service>/<resource>`` calls the service's query and answers its text; a POST calls its
action with the request body. ``/ping`` answers at once, so clients can tell the server is up. The
server runs on its own thread and event loop from ``initialize`` to ``deinitialize``, so a graph's
scheduler and the services' callers never wait for each other.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING

from gxf.core import ExecutionError, Parameter
from gxf.std import IPCServer

if TYPE_CHECKING:
    from aiohttp import web

START_TIMEOUT_S = 10.0


class HttpServer(IPCServer, type_name="nvidia::gxf::HttpServer", uuid="70089546-8a59-442e-b91e-7708f2640fca"):
    """A light-weight HTTP API server: registered services answer GET queries and POST actions."""

    port = Parameter(int, 8000, "HTTP port to listen on (0: any free port, see bound_port)")
    remote_access = Parameter(bool, False, "Accept requests from other hosts (listen on every address) "
                              "instead of this host's loopback only")
    address = Parameter(str, optional=True, description="Address to listen on; overrides remote_access "
                        "(e.g. 127.0.0.2 to simulate a second host on one machine)")

    def initialize(self) -> None:
        super().initialize()
        if not 0 <= self.port <= 65535:
            raise ExecutionError(f"{self.describe_self()}: port must be within 0..65535, got {self.port}",
                                 self.location)
        self._services: dict[str, tuple] = {}
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._started = threading.Event()
        self._failure: BaseException | None = None
        self.bound_port: int | None = None
        self._thread = threading.Thread(target=self._serve, name=f"http-server:{self.name}", daemon=True)
        self._thread.start()
        if not self._started.wait(START_TIMEOUT_S):
            raise ExecutionError(f"{self.describe_self()}: the server did not start within {START_TIMEOUT_S} s")
        if self._failure is not None:
            self._thread.join(START_TIMEOUT_S)
            raise ExecutionError(f"{self.describe_self()} cannot listen on {self.host()}:{self.port}: "
                                 f"{self._failure}", self.location,
                                 "choose a free port, or stop the process that holds it")

    def host(self) -> str:
        if self.address:
            return self.address
        return "0.0.0.0" if self.remote_access else "127.0.0.1"

    def register_service(self, name: str, query=None, action=None) -> None:
        if query is None and action is None:
            raise ExecutionError(f"{self.describe_self()}: service '{name}' needs a query or an action")
        self._services[name] = (query, action)

    def deinitialize(self) -> None:
        loop = getattr(self, "_loop", None)
        if loop is not None and self._thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            self._thread.join(START_TIMEOUT_S)
        super().deinitialize()

    # the server thread
    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._start())
        except BaseException as exc:  # noqa: BLE001 - reported by initialize()
            self._failure = exc
            self._started.set()
            self._loop.close()
            return
        self._started.set()
        try:
            self._loop.run_forever()
        finally:
            self._loop.run_until_complete(self._runner.cleanup())
            self._loop.run_until_complete(self._loop.shutdown_default_executor())
            self._loop.close()

    async def _start(self) -> None:
        from aiohttp import web  # only when a graph serves: a run without HttpServer never loads aiohttp

        app = web.Application()
        app.router.add_get("/ping", self._ping)
        app.router.add_get("/{service}", self._get)
        app.router.add_get("/{service}/{resource:.*}", self._get)
        app.router.add_post("/{service}", self._post)
        app.router.add_post("/{service}/{resource:.*}", self._post)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host(), self.port, reuse_address=True)
        await site.start()
        self.bound_port = self._runner.addresses[0][1]

    async def _ping(self, request: web.Request) -> web.Response:
        from aiohttp import web

        return web.Response(text="ok")

    def _service(self, request: web.Request, kind: int):
        name = request.match_info["service"]
        handlers = self._services.get(name)
        if handlers is None or handlers[kind] is None:
            what = "query" if kind == 0 else "action"
            from aiohttp import web

            raise web.HTTPNotFound(text=f"{self.name}: no {what} service '{name}'")
        return handlers[kind], request.match_info.get("resource", "")

    async def _get(self, request: web.Request) -> web.Response:
        handler, resource = self._service(request, 0)
        return await self._call(handler, resource)

    async def _post(self, request: web.Request) -> web.Response:
        handler, resource = self._service(request, 1)
        data = await request.text()
        return await self._call(handler, resource, data)

    async def _call(self, handler, *args) -> web.Response:
        # Services may block (they take locks of the component serving them): off the event loop.
        from aiohttp import web

        try:
            result = await asyncio.get_running_loop().run_in_executor(None, handler, *args)
        except Exception as exc:  # noqa: BLE001 - the caller gets the reason
            return web.Response(status=500, text=f"{type(exc).__name__}: {exc}")
        return web.Response(text="" if result is None else str(result))
