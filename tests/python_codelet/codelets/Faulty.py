"""Codelets that fail on purpose, and one that notes its stop()."""
from gxf.python_codelet import CodeletAdapter

STOPPED = []


def check(count, fail_at):
    if count == fail_at:
        raise ValueError(f"tick {count} is bad")


class FailsInTick(CodeletAdapter):
    def start(self):
        self.fail_at = self.get_params()["fail_at"]

    def tick(self):
        check(self.get_execution_count(), self.fail_at)

    def stop(self):
        STOPPED.append(self.name())


class FailsInStart(CodeletAdapter):
    def start(self):
        raise RuntimeError("cannot start")


class NotesStop(CodeletAdapter):
    def stop(self):
        STOPPED.append(self.name())


class NotAnAdapter:
    def tick(self):
        pass
