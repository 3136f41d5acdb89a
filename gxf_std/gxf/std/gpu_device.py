"""GPUDevice: the resource saying which CUDA device an entity's components use.

Declaring one needs no GPU: it is a statement (``dev_id: 1``) that GPU-using components of the entity
read, e.g. to pick the device for their streams and memory.
"""

from __future__ import annotations

from gxf.core import Parameter, ParameterError

from .resources import ResourceBase


class GPUDevice(ResourceBase, type_name="nvidia::gxf::GPUDevice",
                uuid="2036939f-a32a-43ee-83f8-826576d8f170"):
    """A resource naming the CUDA device (``dev_id``) that an entity's components work on."""

    dev_id = Parameter(int, 0, "Index of the CUDA device")

    def initialize(self) -> None:
        if self.dev_id < 0:
            raise ParameterError(f"{self.describe_self()}: dev_id must not be negative, got {self.dev_id}",
                                 self.location, "give the CUDA device index, 0 for the first GPU")

    def device_id(self) -> int:
        return self.dev_id


def find_gpu_device(entity) -> GPUDevice | None:
    """The GPUDevice ``entity`` holds, or None."""
    for component in entity.components:
        if isinstance(component, GPUDevice):
            return component
    return None
