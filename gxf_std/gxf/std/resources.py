"""Resources: components an entity uses rather than runs (a GPU device, a thread pool).

ResourceBase is the type every resource derives from. The resources themselves are in
``gpu_device.py`` (GPUDevice) and ``thread_pool.py`` (ThreadPool).
"""

from __future__ import annotations

from gxf.core import Component


class ResourceBase(Component, type_name="nvidia::gxf::ResourceBase",
                   uuid="76b9234d-5eac-4c65-b1a1-0306d3f354e5", abstract=True):
    """Base of the resources: components an entity uses, such as thread pools and GPU devices."""
