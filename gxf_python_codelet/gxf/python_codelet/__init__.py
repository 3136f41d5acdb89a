"""gxf.python_codelet: codelets written in Python (GXF's PythonCodeletExtension).

``CodeletAdapter`` is the class a codelet file implements; ``PyCodeletV0`` is the component a graph
uses to run one; ``PyData`` carries any Python object in a message.
"""

from .codelet import CodeletAdapter
from .codelet_source import CodeletFileError
from .py_codelet import PyCodeletV0
from .py_data import PyData

__all__ = ["CodeletAdapter", "CodeletFileError", "PyCodeletV0", "PyData", "add_pycodelet"]


def add_pycodelet(entity, codelet: type[CodeletAdapter], file: str | None = None, name: str = "", **params):
    """Adds a PyCodeletV0 running ``codelet`` to ``entity``; ``params`` become its codelet_params.

    Without ``file`` the class itself is given to the component (GXF looks it up in ``__main__``).
    """
    if not (isinstance(codelet, type) and issubclass(codelet, CodeletAdapter)):
        raise TypeError(f"add_pycodelet needs a CodeletAdapter class, got {codelet!r}")
    settings = {"codelet_params": params}
    if file:
        settings.update(codelet_name=codelet.__name__, codelet_file=file)
    else:
        settings["codelet"] = codelet
    return entity.add(PyCodeletV0, name, **settings)
