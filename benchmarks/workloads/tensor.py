"""Tensor pipeline: 1 MiB float32 tensors from a BlockMemoryPool, through 3 Forward stages, to a sink."""

from __future__ import annotations

from ..harness import Bench

TITLE = "Tensor pipeline (1 MiB float32, 3 Forward stages)"


def graph_files(mode) -> dict[str, str]:
    return {}


def run(bench: Bench) -> list[dict]:
    return []
