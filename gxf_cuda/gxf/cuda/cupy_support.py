"""CuPy, imported on first use: everything in gxf.cuda that touches a GPU goes through ``cupy()``.

Importing gxf.cuda never imports CuPy, so graphs that declare CUDA components load (and run their
host parts) on machines without a GPU; the first use of the GPU raises ``DeviceUnavailableError``
saying what is missing.
"""

from __future__ import annotations

import threading

from gxf.std.memory_storage import DeviceUnavailableError

INSTALL_HINT = ("pip install gxf-cuda[cupy] (CuPy for CUDA 12) on a machine with an NVIDIA GPU, or keep "
                "the data in host memory: storage_type 0 (kHost) or 2 (kSystem)")

_lock = threading.Lock()
_cupy = None
_failure: DeviceUnavailableError | None = None


def cupy():
    """The CuPy module, once CuPy imports and sees a CUDA device; DeviceUnavailableError otherwise."""
    module = _cupy
    if module is not None:
        return module
    with _lock:
        if _cupy is None and _failure is None:
            _load()
        if _failure is not None:
            raise DeviceUnavailableError(_failure.message, hint=_failure.hint)
        return _cupy


def available() -> bool:
    """True if CuPy imports and a CUDA device is present (imports CuPy to find out)."""
    try:
        cupy()
    except DeviceUnavailableError:
        return False
    return True


def _load() -> None:
    global _cupy, _failure
    try:
        import cupy as module
    except ImportError as exc:
        _failure = DeviceUnavailableError(f"the GPU needs CuPy, which is not installed ({exc})",
                                          hint=INSTALL_HINT)
        return
    except Exception as exc:  # noqa: BLE001 - a broken CUDA installation fails in many ways
        _failure = DeviceUnavailableError(f"CuPy cannot be imported: {type(exc).__name__}: {exc}",
                                          hint=INSTALL_HINT)
        return
    try:
        count = module.cuda.runtime.getDeviceCount()
    except Exception as exc:  # noqa: BLE001
        _failure = DeviceUnavailableError(f"no usable NVIDIA GPU: {type(exc).__name__}: {exc}",
                                          hint=INSTALL_HINT)
        return
    if count < 1:
        _failure = DeviceUnavailableError("no NVIDIA GPU is present", hint=INSTALL_HINT)
        return
    _cupy = module


def device(dev_id: int):
    """A CuPy device context for ``dev_id``, checked against the devices present."""
    module = cupy()
    count = module.cuda.runtime.getDeviceCount()
    if not 0 <= dev_id < count:
        raise DeviceUnavailableError(f"there is no GPU {dev_id} (this machine has {count})",
                                     hint=f"use a dev_id from 0 to {count - 1}")
    return module.cuda.Device(dev_id)
