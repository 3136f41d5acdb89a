"""Extensions: a named, versioned group of component types with GXF's metadata."""

from __future__ import annotations

from dataclasses import dataclass, field

from .component import Component
from .text import one_line


@dataclass
class Extension:
    """What an extension distribution advertises (returned from the ``gxf_extensions`` hook)."""

    name: str
    uuid: str
    version: str
    components: list[type[Component]] = field(default_factory=list)
    license: str = "Apache-2.0"
    author: str = ""
    description: str = ""
    display_name: str = ""
    category: str = ""
    brief: str = ""
    # The distribution that provides it, for install hints ("pip install --upgrade <distribution>");
    # when left empty, the distribution of the entry point it was found through.
    distribution: str = ""

    def __post_init__(self) -> None:
        self.description = one_line(self.description)
        self.display_name = one_line(self.display_name) or self.name
        self.brief = one_line(self.brief) or self.description

    def metadata(self) -> dict:
        return {
            "name": self.name, "uuid": self.uuid, "version": self.version, "license": self.license,
            "author": self.author, "description": self.description, "display_name": self.display_name,
            "category": self.category, "brief": self.brief, "distribution": self.distribution,
        }


@dataclass(frozen=True)
class ComponentType:
    """A registered component type: GXF name, UUID, base type name, description and class."""

    name: str
    uuid: str
    base: str | None
    description: str
    cls: type[Component]
    extension: Extension
    abstract: bool = False
