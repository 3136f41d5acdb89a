"""What GraphWorker and GraphDriver say to each other: GXF's JSON payloads, names and timings.

A worker registers with ``RegisterGraphWorker`` (``{"server_ip_address", "server_port",
"segment_info_list": [{"segment_name", "ip_port_address_map": {"seg.entity.rx": "ip:port"}}]}``);
the driver sets the transmitters' addresses with ``SetComponentParams`` (``[{"name":
"seg.entity.tx", "params": [{"key", "value", "value_type"}]}]``), as GXF's payloads are. A worker's
``GraphWorkerComplete`` payload carries, besides its WorkerInfo, ``"results"``: segment name ->
"finished" or the failure that ended it (this implementation's addition; GXF sends the WorkerInfo).
"""

from __future__ import annotations

import json
import time

from gxf.core import ExecutionError

# Heartbeats (this implementation's addition; GXF has none): each side pings the other this often, and
# gives up on a peer that has not answered for HEARTBEAT_TIMEOUT_S, so a killed process is named
# within that time plus one request's timeout.
HEARTBEAT_INTERVAL_S = 0.25
HEARTBEAT_TIMEOUT_S = 2.0

_INT_TYPES = {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "int"}
_FLOAT_TYPES = {"float", "double", "float32", "float64"}


def split_component_path(text: str, where: str) -> tuple[str, str, str]:
    """``segment.entity.component`` -> its three names; anything else is an error naming ``where``."""
    parts = text.split(".")
    if len(parts) != 3 or not all(parts):
        raise ExecutionError(f"{where}: '{text}' is not segment.entity.component",
                             hint="name the segment (a graph-specs key of a GraphWorker), the entity and the "
                                  "component, separated by dots")
    return parts[0], parts[1], parts[2]


def split_address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


def worker_info(ip: str, port: int, segments: dict[str, dict[str, str]]) -> str:
    return json.dumps({"server_ip_address": ip, "server_port": str(port), "segment_info_list": [
        {"segment_name": name, "ip_port_address_map": addresses} for name, addresses in segments.items()]})


def parse_worker_info(payload: str) -> dict:
    try:
        info = json.loads(payload)
        info["server_port"] = int(info["server_port"])
        info["segments"] = {s["segment_name"]: dict(s.get("ip_port_address_map") or {})
                            for s in info["segment_info_list"]}
        str(info["server_ip_address"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"not a WorkerInfo payload ({exc}): {payload[:200]}") from None
    return info


def component_params(entries: list[tuple[str, list[tuple[str, object, str]]]]) -> str:
    """``[(seg.entity.component, [(key, value, value_type)])]`` -> a SetComponentParams payload."""
    return json.dumps([{"name": name, "params": [{"key": k, "value": str(v), "value_type": t}
                                                 for k, v, t in params]} for name, params in entries])


def parse_component_params(payload: str) -> list[tuple[str, dict[str, object]]]:
    """A SetComponentParams payload -> ``[(seg.entity.component, {key: typed value})]``."""
    result = []
    for item in json.loads(payload):
        values = {}
        for param in item["params"]:
            kind = param["value_type"].replace("std::", "").replace("_t", "")
            text = param["value"]
            if kind in _INT_TYPES:
                values[param["key"]] = int(text)
            elif kind in _FLOAT_TYPES:
                values[param["key"]] = float(text)
            elif kind == "bool":
                values[param["key"]] = text.strip().lower() in ("1", "true", "yes")
            else:
                values[param["key"]] = text
        result.append((item["name"], values))
    return result


class Heartbeat:
    """When a peer last answered; ``lost()`` says whether it has been silent for too long."""

    def __init__(self, timeout_s: float = HEARTBEAT_TIMEOUT_S):
        self.timeout_s = timeout_s
        self.last = time.monotonic()

    def answered(self) -> None:
        self.last = time.monotonic()

    def lost(self) -> bool:
        return time.monotonic() - self.last > self.timeout_s
