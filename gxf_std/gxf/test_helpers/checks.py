"""How a test helper reports a check that did not hold.

A helper raises ``CheckFailed`` with what it expected and what it found. The framework names the
component and the stage for it: a codelet's start/tick/stop failure fails the run as "codelet 'e/c'
(type) failed in tick(): CheckFailed: ...", an initialize/deinitialize failure as "component 'e/c'
(type) failed in deinitialize(): CheckFailed: ...". Either way ``gxf run`` exits non-zero.
"""

from __future__ import annotations


class CheckFailed(AssertionError):
    """A test helper found the graph did not behave as its parameters say it should."""


def check(condition: bool, message: str, *args) -> None:
    """Raises CheckFailed(message % args) unless ``condition`` holds."""
    if not condition:
        raise CheckFailed(message % args if args else message)


def check_equal(actual, expected, what: str) -> None:
    """Raises CheckFailed naming ``what`` unless ``actual == expected``."""
    if actual != expected:
        raise CheckFailed(f"{what} is {actual!r}, expected {expected!r}")
