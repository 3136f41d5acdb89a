"""Makes scheduling_support.py (codelets, terms and graph builders shared by the scheduling tests)
importable as ``gxf_std_scheduling_support``: test folders are not packages."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

NAME = "gxf_std_scheduling_support"

if NAME not in sys.modules:
    _spec = importlib.util.spec_from_file_location(NAME, Path(__file__).with_name("scheduling_support.py"))
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[NAME] = _module
    _spec.loader.exec_module(_module)
