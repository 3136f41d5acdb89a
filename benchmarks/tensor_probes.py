"""Tensor probes (pending the tensor API)."""
COMPONENTS: list = []
