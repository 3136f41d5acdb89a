"""The expected outcome of a conformance graph, read from the comment lines at the top of the file.

    # expect: success                       the run must exit 0
    # expect: failure "text"                the run must exit non-zero and its output contain text
    # output: "text"                        the output (stdout + stderr) must contain text
    # output-count: 3 "text"                ... exactly 3 times
    # no-output: "text"                     ... must not contain text
    # args: --severity 3 more.yaml          extra arguments to `gxf run` (after the graph file)
    # schedulers: greedy multi_thread       run once with each scheduler file of schedulers/ appended
                                            (the graph then defines no scheduler of its own)

Only the leading block of comments counts (a ``%YAML`` line may come first). Every graph needs an
``expect`` line; files named ``*.part.yaml`` are pieces other graphs load and are not run alone.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

_QUOTED = r'"((?:[^"\\]|\\.)*)"'
_EXPECT = re.compile(r"^(success|failure)(?:\s+" + _QUOTED + r")?\s*$")
_TEXT = re.compile(r"^" + _QUOTED + r"\s*$")
_COUNT = re.compile(r"^(\d+)\s+" + _QUOTED + r"\s*$")


class ExpectationError(ValueError):
    """A graph's header is malformed."""


@dataclass
class Expectation:
    success: bool
    failure_text: str | None = None
    output: list[str] = field(default_factory=list)
    output_counts: list[tuple[int, str]] = field(default_factory=list)
    no_output: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    schedulers: list[str] = field(default_factory=list)

    def problems(self, returncode: int, output: str) -> list[str]:
        """What in a run's exit status and output contradicts this expectation (empty when it holds)."""
        found = []
        if self.success and returncode != 0:
            found.append(f"expected success, got exit status {returncode}")
        if not self.success:
            if returncode == 0:
                found.append("expected a failure, got exit status 0")
            if self.failure_text is not None and self.failure_text not in output:
                found.append(f"expected the failure to mention {self.failure_text!r}")
        for text in self.output:
            if text not in output:
                found.append(f"expected the output to contain {text!r}")
        for count, text in self.output_counts:
            seen = output.count(text)
            if seen != count:
                found.append(f"expected {text!r} {count} times in the output, found it {seen} times")
        for text in self.no_output:
            if text in output:
                found.append(f"expected the output not to contain {text!r}")
        return found


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def parse_header(text: str, name: str = "<graph>") -> Expectation:
    """The expectation written in the leading comments of a graph file's text."""
    fields: list[tuple[str, str]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("%YAML"):
            continue
        if not stripped.startswith("#"):
            break
        key, sep, value = stripped[1:].strip().partition(":")
        if sep and key.strip() in ("expect", "output", "output-count", "no-output", "args", "schedulers"):
            fields.append((key.strip(), value.strip()))
    expects = [value for key, value in fields if key == "expect"]
    if len(expects) != 1:
        raise ExpectationError(f"{name}: needs exactly one '# expect: success' or "
                               f"'# expect: failure \"text\"' line at the top, found {len(expects)}")
    match = _EXPECT.match(expects[0])
    if not match:
        raise ExpectationError(f"{name}: cannot read '# expect: {expects[0]}'")
    expectation = Expectation(success=match.group(1) == "success",
                              failure_text=_unquote(match.group(2)) if match.group(2) is not None else None)
    if expectation.success and expectation.failure_text is not None:
        raise ExpectationError(f"{name}: 'expect: success' takes no text; use '# output: \"text\"'")
    for key, value in fields:
        if key in ("output", "no-output"):
            quoted = _TEXT.match(value)
            if not quoted:
                raise ExpectationError(f"{name}: '# {key}:' needs a quoted text, got {value!r}")
            texts = expectation.output if key == "output" else expectation.no_output
            texts.append(_unquote(quoted.group(1)))
        elif key == "output-count":
            counted = _COUNT.match(value)
            if not counted:
                raise ExpectationError(f"{name}: '# output-count:' needs a count and a quoted text, "
                                       f"got {value!r}")
            expectation.output_counts.append((int(counted.group(1)), _unquote(counted.group(2))))
        elif key == "args":
            expectation.args.extend(shlex.split(value))
        elif key == "schedulers":
            expectation.schedulers.extend(value.replace(",", " ").split())
    return expectation


def read_expectation(path: Path) -> Expectation:
    return parse_header(path.read_text(encoding="utf-8"), str(path))
