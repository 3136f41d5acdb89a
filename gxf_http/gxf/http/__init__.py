"""GXF's HttpExtension: an HTTP IPC server and clients, as GXF names them."""

from .http_client import HttpClient
from .http_ipc_client import HttpIPCClient, IPCRequestError
from .http_server import HttpServer

__all__ = ["HttpClient", "HttpIPCClient", "HttpServer", "IPCRequestError"]
