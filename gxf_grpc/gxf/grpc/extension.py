"""The GrpcExtension: GrpcServer and GrpcClient, with GXF's UUIDs."""

from __future__ import annotations

from gxf.core import Extension, hookimpl

from .grpc_client import GrpcClient
from .grpc_server import GrpcServer

GRPC_EXTENSION = Extension(
    name="GrpcExtension",
    uuid="62e7335c-c555-47c9-a2d2-21991b7fd250",
    version="0.5.0",
    components=[GrpcServer, GrpcClient],
    author="gxf-grpc developers",
    distribution="gxf-grpc",
    description="gRPC components: an IPC server and client for GraphWorker and GraphDriver",
    display_name="Grpc Extension",
    category="Network",
    brief="GrpcServer and GrpcClient",
)


@hookimpl
def gxf_extensions():
    return GRPC_EXTENSION
