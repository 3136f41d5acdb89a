"""The workloads, in the order the harness runs them. Each module has TITLE and ``run(bench) -> [record]``."""

from . import cold_start, fanout, overhead, ping, pipeline, tensor

WORKLOADS = {
    "ping": ping,
    "pipeline": pipeline,
    "overhead": overhead,
    "fanout": fanout,
    "tensor": tensor,
    "cold_start": cold_start,
}
