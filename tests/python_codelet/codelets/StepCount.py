"""Fails in stop() unless the entity ticked the expected number of times (as GXF's StepCount.py)."""
from gxf.python_codelet import CodeletAdapter


class StepCount(CodeletAdapter):
    def start(self):
        self.params = self.get_params()
        self.expected_count = int(self.params["expected_count"])
        self.current_count = 0

    def tick(self):
        self.current_count += 1

    def stop(self):
        if self.current_count != self.expected_count:
            raise Exception(f"expected {self.expected_count} ticks, got {self.current_count}")
