"""``python run_graph.py GXF-ARGS...``: the ``gxf`` command with the test links registered (a test process)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from gxf.core import plugins
from gxf.core.cli import main

_spec = importlib.util.spec_from_file_location("gxf_distributed_support",
                                               Path(__file__).with_name("distributed_support.py"))
support = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(support)
plugins.register(support, name="test-links", distribution="tests")

if __name__ == "__main__":
    main(sys.argv[1:], prog_name="gxf")
