"""The TypeSerializers that installed extensions give through the ``gxf_component_serializers`` hook."""

from __future__ import annotations

import logging

from gxf.core import plugins

from .component_serializer import TypeSerializer

log = logging.getLogger("gxf")


def registered_type_serializers() -> list[TypeSerializer]:
    """Every TypeSerializer of every plugin, in plugin-name order; a broken plugin is logged and skipped."""
    hooks = plugins.hooks()
    found: list[TypeSerializer] = []
    impls = sorted(hooks.gxf_component_serializers.get_hookimpls(),
                   key=lambda impl: plugins.pm.get_name(impl.plugin) or "")
    for impl in impls:
        name = plugins.pm.get_name(impl.plugin) or "?"
        try:
            result = impl.function()
        except Exception as exc:  # noqa: BLE001 - one broken plugin must not stop recording
            log.error("plugin '%s' failed to give its component serializers: %s: %s", name,
                      type(exc).__name__, exc)
            continue
        for item in [result] if isinstance(result, TypeSerializer) else list(result or []):
            if isinstance(item, TypeSerializer):
                found.append(item)
            else:
                log.error("plugin '%s' gave %s where a TypeSerializer belongs; ignored", name,
                          type(item).__name__)
    return found
