"""PyCodeletV0: the codelet component that runs a Python codelet class (a CodeletAdapter).

The graph names the class (``codelet_name``) and the file defining it (``codelet_file``); the Python
graph API may instead hand over the class itself (``codelet``). A relative ``codelet_file`` is taken from
the folder of the graph file that names it, never from the working directory (a file there must not
replace a graph's codelet). ``preflight()`` (``gxf validate``, and ``gxf run`` before anything is
initialized) checks that the file exists, compiles and defines the class, without executing it; the
file is loaded when the graph is initialized. ``start()``
creates the codelet object, connects it to this component and calls its ``start()``; from then on the
scheduler's tick goes straight to the codelet's own ``tick`` method (bound once here), so a Python
codelet costs no more per tick than a codelet component. A failure in the user's code names the
class, the user's file and line, and a short Python traceback.
"""

from __future__ import annotations

from typing import Any

from gxf.core import FilePath, GraphRelativePath, GxfError, Handle, Parameter
from gxf.std.clock import Clock
from gxf.std.codelet import Codelet
from gxf.std.queue import Receiver, Transmitter

from . import codelet_source
from .codelet import CodeletAdapter
from .codelet_params import CodeletParamsType, params_text, parse_codelet_params

# By type name, so that gxf-cuda (and the memory components) stay optional.
ALLOCATOR = "nvidia::gxf::Allocator"
CUDA_STREAM_POOL = "nvidia::gxf::CudaStreamPool"


class PyCodeletV0(Codelet, type_name="nvidia::gxf::PyCodeletV0", uuid="cd8b08c2-f643-483f-f33b-02bfa75c23fb"):
    """Runs a codelet written in Python: a CodeletAdapter class, named with its file or given directly.

    ``codelet_params`` reach the codelet through ``get_params()``; ``receivers``, ``transmitters``,
    ``allocators``, ``cuda_stream_pool(s)`` and ``clock`` through ``get_receivers()`` and the like.
    """

    codelet_name = Parameter(str, description="The CodeletAdapter class to run, by its name in codelet_file")
    codelet_file = Parameter(GraphRelativePath, description="The Python file defining that class (a "
                             "relative path is taken from the folder of the graph file naming it, never from "
                             "the working directory)")
    codelet_params = Parameter(CodeletParamsType(), optional=True,
                               description="Free-form settings for the codelet (get_params()): a mapping, or a "
                               "string of key=value pairs or YAML")
    receivers = Parameter(list[Handle(Receiver)], [], "Receivers the codelet reads from")
    transmitters = Parameter(list[Handle(Transmitter)], [], "Transmitters the codelet publishes on")
    allocators = Parameter(list[Handle(ALLOCATOR)], [], "Allocators the codelet allocates tensors with")
    cuda_stream_pool = Parameter(Handle(CUDA_STREAM_POOL), optional=True,
                                 description="A CUDA stream pool for the codelet (needs gxf-cuda)")
    cuda_stream_pools = Parameter(list[Handle(CUDA_STREAM_POOL)], [],
                                  "CUDA stream pools for the codelet (needs gxf-cuda)")
    clock = Parameter(Handle(Clock), optional=True, description="A clock for the codelet")
    codelet = Parameter(Any, optional=True, description="Python graph API only: the CodeletAdapter class (or "
                        "an instance of it) to run, instead of codelet_file/codelet_name")

    def set_param(self, key: str, value: Any, env=None) -> None:
        super().set_param(key, value, env)
        if key == "codelet" and value is not None:
            cls = value if isinstance(value, type) else type(value)
            state = self.__dict__
            state.setdefault("codelet_name", cls.__qualname__)
            if "codelet_file" not in state:
                state["codelet_file"] = FilePath(codelet_source.source_file(cls) or "None")

    # --- lifecycle ---------------------------------------------------------------------------------
    def preflight(self) -> None:
        """Checks the codelet without running it: a given class derives from CodeletAdapter; a named one
        is defined in a codelet file that exists and compiles. (codelet_params are not read here: a
        codelet may parse its string itself.)"""
        given = self.codelet
        if given is not None:
            self._check_given(given)
        else:
            what = self.describe_self() + (f" at {self.location}" if self.location else "")
            codelet_source.check_source(str(self.codelet_file), self.codelet_name, what, self.location,
                                        self.describe_self())

    def _check_given(self, given) -> type:
        cls = given if isinstance(given, type) else type(given)
        if not issubclass(cls, CodeletAdapter):
            raise GxfError(f"{self.describe_self()}: 'codelet' must be a CodeletAdapter class or "
                           f"instance, got {given!r}", self.location,
                           "derive the class from gxf.python_codelet.CodeletAdapter")
        return cls

    def initialize(self) -> None:
        self._adapter: CodeletAdapter | None = None
        self._params: dict | None = None
        self._user_file = ""
        given = self.codelet
        if given is not None:
            cls = self._check_given(given)
        else:
            what = self.describe_self() + (f" at {self.location}" if self.location else "")
            module = codelet_source.load_module(str(self.codelet_file), what, self.location)
            cls = codelet_source.find_class(module, self.codelet_name, CodeletAdapter, str(self.codelet_file),
                                            self.describe_self(), self.location)
        self._class = cls
        self._user_file = codelet_source.source_file(cls) or ""

    def start(self) -> None:
        given = self.codelet
        adapter = given if given is not None and not isinstance(given, type) else self._class()
        self._adapter = adapter
        adapter.set_bridge(self)
        adapter.start()
        # The hot path: the scheduler calls the user's tick directly from now on.
        self.tick = adapter.tick

    def tick(self) -> None:
        raise GxfError(f"{self.describe_self()} ticked before start()", self.location)

    def stop(self) -> None:
        self.__dict__.pop("tick", None)
        adapter = self._adapter
        if adapter is not None:
            adapter.stop()

    # --- the bridge's side of CodeletAdapter ---------------------------------------------------------
    def _attach(self, adapter: CodeletAdapter) -> None:
        """Gives the adapter the queues its ``txs``/``rxs`` name, as attributes of those names."""
        for names, kind, declared in ((getattr(adapter, "txs", ()), Transmitter, self.transmitters),
                                      (getattr(adapter, "rxs", ()), Receiver, self.receivers)):
            for queue_name in names or ():
                if not isinstance(queue_name, str):
                    continue
                queue = next((q for q in declared if q.name == queue_name), None)
                if queue is None and self.entity is not None:
                    found = self.entity.find(queue_name)
                    queue = found if isinstance(found, kind) else None
                if queue is None:
                    raise GxfError(
                        f"{self.describe_self()}: the codelet names {kind.__name__.lower()} '{queue_name}' "
                        f"(in {'txs' if kind is Transmitter else 'rxs'}), which the entity does not have",
                        self.location, "add a queue of that name, or use ComputeEntity.add_codelet")
                setattr(adapter, queue_name, queue)

    @property
    def adapter(self) -> CodeletAdapter | None:
        """The codelet object of the latest run (None before the first start)."""
        return self._adapter

    def get_params(self) -> dict[str, Any]:
        if self._params is None:
            self._params = self._read_params()
        return dict(self._params)

    def _read_params(self) -> dict[str, Any]:
        try:
            return parse_codelet_params(self.codelet_params, f"codelet_params of {self.describe_self()}")
        except ValueError as exc:
            raise GxfError(f"{self.describe_self()}: codelet_params: {exc}", self.location,
                           "write a mapping or 'key=value,key=value', or read the raw string with "
                           "get_params_string()") from None

    def get_params_string(self) -> str:
        return params_text(self.codelet_params)

    def stream_pools(self) -> list:
        pools = list(self.cuda_stream_pools)
        single = self.cuda_stream_pool
        if single is not None and single not in pools:
            pools.insert(0, single)
        return pools

    # --- failures ----------------------------------------------------------------------------------
    def describe_failure(self, stage: str, exc: BaseException) -> str:
        """What the user needs when their code raised: class, file:line and the traceback."""
        cls = getattr(self, "_class", None)
        if cls is None:
            return ""
        file = self._user_file
        line = codelet_source.user_line(exc.__traceback__, file) if file else 0
        where = f" at {file}:{line}" if line else (f" in {file}" if file else "")
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return (f"{cls.__qualname__}.{stage}(){where} raised {text}\n"
                + codelet_source.format_user_traceback(exc, *((file,) if file else ()), with_error=False))

    def yaml_params(self) -> dict[str, Any]:
        """Parameters as a graph file writes them: a class given directly becomes codelet_name/file."""
        values = self.param_values()
        given = values.pop("codelet", None)
        if given is not None:
            cls = given if isinstance(given, type) else type(given)
            file = codelet_source.source_file(cls)
            if file is None or "<locals>" in cls.__qualname__:
                raise GxfError(f"{self.describe_self()}: codelet class {cls.__qualname__} cannot be written to "
                               "a graph file: it is not defined at the top level of a Python file",
                               self.location, "define the class at the top level of a .py file")
            values["codelet_name"] = cls.__qualname__
            values["codelet_file"] = file
        return values
