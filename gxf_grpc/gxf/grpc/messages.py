"""GXF's gRPC messages and method, described to protobuf at run time (no generated code).

The service is ``gxf.ServiceHub`` with one call, ``SendRequest(Request) -> Response``; a Request has the
service name (field 1) and its parameters (field 2, repeated strings), a Response the result text
(field 1), as GXF's grpc_service.proto declares them.
"""

from __future__ import annotations

import functools
import os
import sys

SERVICE = "gxf.ServiceHub"
METHOD = "SendRequest"
PATH = f"/{SERVICE}/{METHOD}"
MAIN_SERVICE = "ServiceHub"  # how the health service names the entrance of every request


def import_grpc():
    """grpcio, imported quiet: its core would print its own lines (a failed bind, a lost connection) on
    stderr beside the errors the components raise for them; GRPC_VERBOSITY, when set, still decides."""
    if "grpc" not in sys.modules:
        os.environ.setdefault("GRPC_VERBOSITY", "NONE")
    import grpc

    return grpc


@functools.cache
def message_classes() -> tuple[type, type]:
    """(Request, Response), protobuf message classes of GXF's messages."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    proto = descriptor_pb2.FileDescriptorProto(name="gxf/grpc_service.proto", package="gxf",
                                               syntax="proto3")
    field = descriptor_pb2.FieldDescriptorProto
    request = proto.message_type.add(name="Request")
    request.field.add(name="service", number=1, type=field.TYPE_STRING, label=field.LABEL_OPTIONAL)
    request.field.add(name="params", number=2, type=field.TYPE_STRING, label=field.LABEL_REPEATED)
    response = proto.message_type.add(name="Response")
    response.field.add(name="result", number=1, type=field.TYPE_STRING, label=field.LABEL_OPTIONAL)
    service = proto.service.add(name="ServiceHub")
    service.method.add(name=METHOD, input_type=".gxf.Request", output_type=".gxf.Response")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return (message_factory.GetMessageClass(pool.FindMessageTypeByName("gxf.Request")),
            message_factory.GetMessageClass(pool.FindMessageTypeByName("gxf.Response")))
