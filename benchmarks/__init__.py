"""The performance harness: throughput, latency and scheduler overhead of GXF graphs (see README.md)."""
