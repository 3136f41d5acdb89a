"""Components: the functional blocks an entity is composed of."""

from __future__ import annotations

import itertools
import logging
import weakref
from typing import TYPE_CHECKING, Any, ClassVar

from .errors import HandleError, Location, ParameterError
from .parameters import (REQUIRED, ConvertEnv, DictType, Handle, HandleRef, HandleTarget, ListType,
                         OptionalType, Parameter)
from .text import first_paragraph

if TYPE_CHECKING:
    from .context import Context
    from .entity import Entity

# One id space for entities and components of all contexts, as GXF's uids.
_uids = itertools.count(1)
next_uid = _uids.__next__


def owner_ref(owner):
    """What a component stores to reach its entity: a weak reference for a message, else the entity."""
    return weakref.ref(owner) if getattr(owner, "_weak_owner", False) else owner


_GXF_LOGGER = logging.getLogger("gxf")


class ComponentLogger(logging.LoggerAdapter):
    """Prefixes records with ``entity/component``; formats nothing below the active level.

    The prefix is worked out when a record is emitted, so creating the logger costs next to nothing.
    """

    def __init__(self, component: Component) -> None:
        super().__init__(_GXF_LOGGER)
        self.component = component

    def process(self, msg, kwargs):
        component = self.component
        where = component.handle_text()
        if not component.name:  # an unnamed component is shown by its type: "rx/PingRx"
            where += component.type_name().rsplit("::", 1)[-1]
        return f"[{where}] {msg}", kwargs


class Component(HandleTarget):
    """Base of every component type.

    A subclass becomes a registrable GXF component type with class keywords::

        class PingTx(Codelet, type_name="nvidia::gxf::PingTx", uuid="...."):
            '''Publishes a message each tick.'''  # the first paragraph is the description

    Lifecycle: ``initialize()`` once after all parameters and handles are set, ``deinitialize()`` once
    before the graph is destroyed. Codelets add start/tick/stop.
    """

    _gxf_type_name: ClassVar[str | None] = "nvidia::gxf::Component"
    _gxf_uuid: ClassVar[str | None] = "75bf23d5-199c-4e0c-88fb-a3a3b3f5c9c9"
    _gxf_params: ClassVar[dict[str, Parameter]] = {}
    _gxf_abstract: ClassVar[bool] = True
    _entity = None  # the owner: the entity itself, or a weak reference to a message entity

    @property
    def entity(self) -> Entity | None:
        """The entity this component belongs to; None before it is added (or after its message is gone)."""
        owner = self._entity
        return owner() if owner.__class__ is weakref.ref else owner

    @entity.setter
    def entity(self, owner: Entity | None) -> None:
        # A message owns its components, so they hold it weakly: no reference cycle, and a message,
        # with the memory its tensors hold, is freed the moment its last reference is dropped (as
        # GXF's reference-counted entities are), not whenever the cyclic garbage collector runs.
        self._entity = owner_ref(owner)

    def __init_subclass__(cls, type_name: str | None = None, uuid: str | None = None,
                          abstract: bool = False, **kwargs):
        super().__init_subclass__(**kwargs)
        if "_gxf_type_name" not in cls.__dict__:
            cls._gxf_type_name = type_name
        if "_gxf_uuid" not in cls.__dict__:
            cls._gxf_uuid = uuid
        cls._gxf_abstract = abstract
        for attr, value in vars(cls).items():
            if isinstance(value, Parameter):
                _refuse_hidden_method(cls, attr)
        params: dict[str, Parameter] = {}
        for klass in reversed(cls.__mro__):  # mix-ins may declare parameters too
            for value in vars(klass).values():
                if isinstance(value, Parameter):
                    params[value.key] = value
        cls._gxf_params = params

    def __init__(self, name: str = "", owner: Entity | None = None) -> None:
        """A component called ``name`` (of ``owner``, when given), its parameters at their defaults.

        Cheap enough for components made per message (Timestamp, Tensor, primitive values): those
        call it with their name and owner and set their own fields after it.
        """
        self.name: str = name
        self._entity = None if owner is None else owner_ref(owner)
        self.context: Context | None = None
        self.cid: int = next_uid()
        self.location: Location | None = None
        self._logger: ComponentLogger | None = None
        params = self._gxf_params
        if params:
            state = self.__dict__
            for param in params.values():
                value = param.initial_value()
                if value is not REQUIRED:
                    state[param.attr] = value

    # --- lifecycle -------------------------------------------------------------------------------
    def preflight(self) -> None:
        """Checks what can be checked without any resource, once parameters and handles are set.

        ``gxf validate`` calls it on every component of the graph (reporting every failure), and
        ``gxf run`` (``Context.activate``) before the first ``initialize()``, so the two commands refuse
        the same graphs. Raise a GxfError (ParameterError, ...) naming ``self.location`` for a value the
        component cannot work with. Allocate nothing here, open no file for writing, start no thread:
        the graph may never run. Declared ranges and choices (``Parameter(minimum=...)``) are checked
        already when parameters are set; this is for the rest (relations between parameters, the
        components handles point to, files the component reads).
        """

    def initialize(self) -> None:
        """Light-weight set-up, once, after parameters and handles are set (and ``preflight()`` passed)."""

    def deinitialize(self) -> None:
        """Light-weight tear-down, once, before the graph is destroyed."""

    # --- identity ----------------------------------------------------------------------------------
    @classmethod
    def type_name(cls) -> str:
        """The GXF type name, or the nearest registered base's for an unregistered subclass."""
        for klass in cls.__mro__:
            name = klass.__dict__.get("_gxf_type_name")
            if name:
                return name
        return cls.__qualname__

    @classmethod
    def description(cls) -> str:
        """The first paragraph of the class docstring, as one line (``gxf list``, ``gxf describe``)."""
        return first_paragraph(cls.__doc__)

    @property
    def eid(self) -> int:
        return self.entity.eid if self.entity is not None else 0

    def handle_text(self) -> str:
        """How a graph file names this component: ``entity/component``."""
        entity = self.entity.name if self.entity is not None else ""
        return f"{entity}/{self.name}" if entity else self.name

    def describe_self(self) -> str:
        where = self.handle_text() or "(unnamed)"
        return f"component '{where}' ({self.type_name()})"

    @property
    def logger(self) -> ComponentLogger:
        if self._logger is None:
            self._logger = ComponentLogger(self)
        return self._logger

    # --- parameters --------------------------------------------------------------------------------
    @classmethod
    def parameters(cls) -> dict[str, Parameter]:
        """The declared parameters, by graph-file key."""
        return cls._gxf_params

    def set_param(self, key: str, value: Any, env: ConvertEnv | None = None) -> None:
        """Converts and sets one parameter; Components are accepted wherever a handle is."""
        param = self._gxf_params.get(key)
        if param is None:
            from .suggest import did_you_mean

            raise ParameterError(
                f"{self.describe_self()} has no parameter '{key}'",
                env.location if env else self.location,
                did_you_mean(key, self._gxf_params) or "run `gxf describe "
                f"{self.type_name()}` for its parameters")
        env = env or ConvertEnv(location=self.location)
        try:
            converted = param.ptype.convert(value, env)
        except ValueError as exc:
            raise ParameterError(f"parameter '{key}' of {self.describe_self()}: {exc}",
                                 env.location or self.location,
                                 f"see `gxf describe {self.type_name()}`") from None
        if param.bounded:
            problem = param.value_problem(converted)
            if problem:
                raise ParameterError(f"parameter '{key}' of {self.describe_self()}: {problem}",
                                     env.location or self.location,
                                     f"`gxf describe {self.type_name()}` shows what '{key}' accepts")
        self.__dict__[param.attr] = converted

    def set_params(self, **values: Any) -> None:
        for key, value in values.items():
            self.set_param(key, value)

    def get_param(self, key: str) -> Any:
        """The value of parameter ``key``; for a key the type does not declare, the value a graph file
        gave it (kept unchecked, as GXF keeps an unregistered parameter for its getters)."""
        param = self._gxf_params.get(key)
        if param is None:
            kept = self.__dict__.get("_unregistered")
            if kept is not None and key in kept:
                return kept[key]
            from .suggest import did_you_mean

            raise ParameterError(f"{self.describe_self()} has no parameter '{key}'", self.location,
                                 did_you_mean(key, self._gxf_params) or "run `gxf describe "
                                 f"{self.type_name()}` for its parameters")
        return getattr(self, param.attr)

    def keep_unregistered(self, key: str, value: Any) -> None:
        """Keeps a value a graph file gives to a parameter the type does not declare (``get_param``
        returns it; nothing checks or uses it)."""
        self.__dict__.setdefault("_unregistered", {})[key] = value

    def unregistered_params(self) -> dict[str, Any]:
        """The values kept for parameters the type does not declare, by key."""
        return dict(self.__dict__.get("_unregistered") or {})

    def is_param_set(self, key: str) -> bool:
        return self._gxf_params[key].attr in self.__dict__

    def param_values(self) -> dict[str, Any]:
        """The values set (or defaulted) for each declared parameter, by graph-file key."""
        state = self.__dict__
        return {k: state[p.attr] for k, p in self._gxf_params.items() if p.attr in state}

    def missing_params(self) -> list[str]:
        state = self.__dict__
        return [k for k, p in self._gxf_params.items() if p.attr not in state]

    def resolve_handles(self) -> None:
        """Replaces handle references written as text with the components they name."""
        for key, param in self._gxf_params.items():
            if not param.ptype.has_handles:
                continue
            value = self.__dict__.get(param.attr)
            if value is None:
                continue
            self.__dict__[param.attr] = _resolve(self, key, param.ptype, value)

    # --- GXF Python API --------------------------------------------------------------------------
    @classmethod
    def get(cls, context: Context, cid: int, name: str | Component | None = None):
        """The component ``name`` as seen from component ``cid`` (GXF's ``X.get(context, cid, name)``).

        ``name`` is a component of the same entity, or ``entity/component`` anywhere in the graph (as
        GXF's Python API resolves it); a component passes through. Without ``name``, the component
        ``cid`` itself. Raises HandleError when there is none, or it is not a ``cls``.
        """
        owner = context.component(cid)
        entity = owner.entity
        if name is None:
            component = owner
        elif isinstance(name, Component):
            component = name
        elif "/" in name:
            component = context.find_component(name)
        else:
            component = entity.find(name) if entity is not None else None
        if component is None or not isinstance(component, cls):
            where = f"entity '{entity.name}'" if entity is not None else "the graph"
            if component is None:
                names = [c.name for c in entity.components if c.name] if entity is not None else []
                raise HandleError(f"no component '{name}' for {cls.type_name()}.get() from {where}",
                                  owner.location, f"components there: {', '.join(names) or 'none'}; "
                                  "write 'component' or 'entity/component'")
            raise HandleError(f"{cls.type_name()}.get(): '{component.handle_text()}' is a "
                              f"{component.type_name()}, not a {cls.type_name()}", owner.location)
        return component

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.handle_text() or '(unnamed)'} cid={self.cid}>"


def _refuse_hidden_method(cls: type, attr: str) -> None:
    """A parameter stored under ``attr`` must not hide a method of a base (``start``, ``tick``...)."""
    for base in cls.__mro__[1:]:
        inherited = base.__dict__.get(attr)
        if inherited is not None and not isinstance(inherited, Parameter) and callable(inherited):
            raise TypeError(f"{cls.__module__}.{cls.__qualname__}: the parameter attribute '{attr}' would hide "
                            f"the method {base.__qualname__}.{attr}(); declare it under another attribute "
                            f"name and keep the graph-file name with key='{attr}', e.g. "
                            f"{attr}_ = Parameter(..., key='{attr}')")


def _resolve(owner: Component, key: str, ptype, value):
    if isinstance(ptype, OptionalType):
        return _resolve(owner, key, ptype.inner, value)
    if isinstance(ptype, ListType):
        return [_resolve(owner, key, ptype.item, v) for v in value]
    if isinstance(ptype, DictType):
        return {k: _resolve(owner, key, ptype.value_type, v) for k, v in value.items()}
    if not isinstance(ptype, Handle):
        return value
    if isinstance(value, HandleRef):
        target = owner.context.resolve_handle(value.text, value.scope, owner.entity, value.location,
                                              f"parameter '{key}' of {owner.describe_self()}")
        location = value.location
    else:
        target, location = value, owner.location
    expected = ptype.target
    if isinstance(expected, str):
        ok = owner.context.registry.is_a(type(target), expected)
    else:
        ok = isinstance(target, expected)
    if not ok:
        wanted = ptype.target_type_name() or getattr(expected, "__name__", expected)
        raise HandleError(
            f"parameter '{key}' of {owner.describe_self()} must name a {wanted}, "
            f"but '{target.handle_text()}' is a {target.type_name()}",
            location, f"point '{key}' at a component of type {wanted}")
    return target
