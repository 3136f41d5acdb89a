"""The project's performance targets, and what the real C++ GXF / Holoscan reach on the same graphs.

Reference figures are from ``shared/PERFORMANCE.md`` (GXF 5.7.1 from the holoscan-cu12 4.6.0 wheel, and
the Holoscan SDK's Python operators, measured on the same kind of 2-core machine, medians of 3, +-20%).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Target:
    """A bound on one metric of a case: ``metric op value``."""

    metric: str
    op: str          # ">=" or "<"
    value: float
    text: str

    def met(self, measured: float) -> bool:
        return measured >= self.value if self.op == ">=" else measured < self.value

    def as_dict(self) -> dict:
        return asdict(self)


PING_STANDARD_GREEDY = Target("msg_per_s", ">=", 150_000, ">= 150,000 msg/s")
PING_PYTHON_GREEDY = Target("msg_per_s", ">=", 100_000, ">= 100,000 msg/s")
EVENTBASED_IDLE_1000 = Target("relative", ">=", 0.90, ">= 90% of bare")
CHAIN_P99 = Target("p99_us", "<", 1000.0, "p99 < 1 ms")
COLD_START_WALL = Target("wall_s", "<", 0.3, "< 0.3 s")

CPP = "C++ GXF"
HOLOSCAN = "Holoscan Python"

# workload -> case -> {implementation: figure}
REFERENCE = {
    "ping": {
        "standard/greedy": {CPP: "275,000 msg/s", HOLOSCAN: "11,000-14,000 msg/s"},
        "python/greedy": {CPP: "275,000 msg/s (C++ codelets)", HOLOSCAN: "11,000-14,000 msg/s"},
        "standard/multithread": {CPP: "13,000 msg/s (recheck 0 ms)"},
        "standard/eventbased": {CPP: "6,300 msg/s"},
    },
    "pipeline": {
        "chain10 throughput/greedy": {CPP: "63,000 msg/s"},
        "chain10 throughput/multithread": {CPP: "14,000 msg/s"},
        "chain10 throughput/eventbased": {CPP: "5,700 msg/s"},
    },
    "cold_start": {
        "gxf run ping count 1": {HOLOSCAN: "0.2 s to import the Python package"},
    },
}


def reference(workload: str, case: str) -> dict | None:
    return REFERENCE.get(workload, {}).get(case)
