"""The HttpExtension: HttpServer, HttpIPCClient and HttpClient, with GXF's UUIDs."""

from __future__ import annotations

from gxf.core import Extension, hookimpl

from .http_client import HttpClient
from .http_ipc_client import HttpIPCClient
from .http_server import HttpServer

HTTP_EXTENSION = Extension(
    name="HttpExtension",
    uuid="22a21c97-f20b-4c03-b277-6e6f52303328",
    version="0.5.0",
    components=[HttpServer, HttpIPCClient, HttpClient],
    author="gxf-http developers",
    distribution="gxf-http",
    description="HTTP components: an IPC server and clients for GraphWorker and GraphDriver",
    display_name="Http Extension",
    category="Network",
    brief="HttpServer, HttpIPCClient and the HttpClient interface",
)


@hookimpl
def gxf_extensions():
    return HTTP_EXTENSION
