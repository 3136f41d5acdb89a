"""Makes bt_support.py (the tree runner shared by the behavior-tree tests) importable as
``gxf_bt_support``: test folders are not packages."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from gxf.core import plugins

NAME = "gxf_bt_support"

if NAME not in sys.modules:
    _spec = importlib.util.spec_from_file_location(NAME, Path(__file__).with_name("bt_support.py"))
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[NAME] = _module
    _spec.loader.exec_module(_module)


@pytest.fixture
def flaky_leaf():
    """Registers the tests' own extension (``gxf::bt_tests::FlakyLeaf`` and ``StrictController``) for the
    test, then removes it; the fixture's value is FlakyLeaf's type name."""
    plugins.register(sys.modules[NAME], name="bt-tests", distribution="bt-tests")
    try:
        yield "gxf::bt_tests::FlakyLeaf"
    finally:
        plugins.unregister("bt-tests")
