"""Records what every CodeletAdapter accessor returns in start(), each tick() and stop()."""
from gxf.python_codelet import CodeletAdapter


class ApiProbe(CodeletAdapter):
    def snapshot(self, stage):
        return {
            "stage": stage,
            "timestamp": self.get_execution_timestamp(),
            "time": self.get_execution_time(),
            "delta": self.get_delta_time(),
            "count": self.get_execution_count(),
            "first": self.is_first_tick(),
        }

    def start(self):
        self.records = [self.snapshot("start")]
        self.ids = (self.context(), self.eid(), self.cid(), self.name())
        self.params = self.get_params()
        self.params_string = self.get_params_string()
        self.declared = {
            "transmitters": self.get_transmitters(),
            "receivers": self.get_receivers(),
            "allocators": self.get_allocators(),
            "cuda_stream_pools": self.get_cuda_stream_pools(),
            "clock": self.get_clock(),
        }

    def tick(self):
        self.records.append(self.snapshot("tick"))

    def stop(self):
        self.records.append(self.snapshot("stop"))
