"""GXF's GrpcExtension: a gRPC IPC server and client, as GXF names them."""

from .grpc_client import GrpcClient
from .grpc_server import GrpcServer

__all__ = ["GrpcClient", "GrpcServer"]
