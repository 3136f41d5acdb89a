"""Codelet files: loading the Python file a PyCodeletV0 names, once per file, with clear errors.

A file is executed as a module the first time a graph needs it and reused afterwards (it is loaded
again only when it changed on disk); a file the program has imported already (a module of a package,
the running script) is not executed again: its module is used. As in GXF, the file's folder is added to ``sys.path`` so that a
codelet file may import modules next to it. The module is registered under the file's stem (``PingRx``
for ``PingRx.py``) unless another module already has that name.

``check_source`` is what ``gxf validate`` asks (through ``PyCodeletV0.preflight``) without running
anything: that the file exists, compiles, and defines the named class at its top level.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import importlib.util
import os
import sys
import threading
import traceback
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import ModuleType, TracebackType

from gxf.core import GxfError, Location
from gxf.core.loader import folder_above
from gxf.core.suggest import did_you_mean

MAIN_MODULE_FILES = ("", "None")  # GXF: no file means the class is defined in the __main__ module

_lock = threading.Lock()
_modules: dict[str, tuple[tuple[int, int], ModuleType]] = {}


class CodeletFileError(GxfError):
    """A codelet file is missing, does not compile, fails on import, or lacks the named class."""


MAX_CODELET_FILE_BYTES = 16 * 1024 * 1024  # a bigger "codelet file" is not Python source


def _missing(path: str, what: str, where: Location | None) -> CodeletFileError:
    hint = ("a relative path is taken from the folder of the graph file that names it, or from "
            "--app-root (never from the working directory); or give an absolute path")
    filename = getattr(where, "file", None)
    if filename:
        with contextlib.suppress(ValueError):  # the path as the graph file wrote it
            found = folder_above(Path(path).relative_to(Path(filename).resolve().parent), where)
            if found is not None:
                hint += f"; it is found under {found}: run with --app-root {found}"
    return CodeletFileError(f"{what}: codelet_file '{path}' does not exist", where, hint)


def check_source(path: str, class_name: str, what: str, where: Location | None,
                 component: str | None = None) -> None:
    """Checks the codelet file ``path`` without executing it: it exists, compiles, and its top level
    defines (or imports, or assigns) ``class_name``. Raises CodeletFileError naming the file and line.
    ``what`` names the component (and where the graph names it) for file errors, ``component`` (by
    default ``what``) for a missing class, as ``load_module`` and ``find_class`` name them.

    The file of the running program (``__main__``, codelet_file None) is not checked.
    """
    if path in MAIN_MODULE_FILES or (Path(path).name == "None" and not Path(path).exists()):
        return
    file = Path(path)
    if not file.is_file():
        raise _missing(path, what, where)
    if file.stat().st_size > MAX_CODELET_FILE_BYTES:
        raise CodeletFileError(f"{what}: codelet_file '{path}' is too big to be Python source "
                               f"({file.stat().st_size:,} bytes)", where, "name the codelet's .py file")
    key = str(file.resolve())
    try:
        source = file.read_bytes()
        tree = ast.parse(source, filename=key)
    except SyntaxError as exc:
        text = (exc.text or "").strip()
        raise CodeletFileError(
            f"syntax error in codelet file ({what}): {exc.msg}" + (f"\n    {text[:200]}" if text else ""),
            Location(key, exc.lineno or 0), "fix the codelet file") from None
    except (OSError, ValueError) as exc:
        raise CodeletFileError(f"{what}: cannot read codelet_file '{path}': {exc}", where) from None
    names = _top_level_names(tree)
    if class_name not in names:
        classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
        hint = did_you_mean(class_name, classes) or (
            f"classes defined there: {', '.join(classes)}" if classes
            else "define a class deriving from gxf.python_codelet.CodeletAdapter")
        raise CodeletFileError(f"{component or what}: codelet file {path} has no class '{class_name}' "
                               "(codelet_name)", where, hint)


def _top_level_names(tree: ast.Module) -> set[str]:
    """Names the module's top level binds: classes, functions, assignments, imports."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, (ast.If, ast.Try, ast.With)):  # class definitions under a guard
            inner = ast.Module(body=[n for n in ast.walk(node) if isinstance(n, ast.stmt) and n is not node],
                               type_ignores=[])
            names.update(_top_level_names(inner))
    return names


def load_module(path: str, what: str, where: Location | None) -> ModuleType:
    """The module of the codelet file ``path``; ``what`` names the component for error messages."""
    if path in MAIN_MODULE_FILES or (Path(path).name == "None" and not Path(path).exists()):
        return sys.modules["__main__"]
    file = Path(path)
    if not file.is_file():
        raise _missing(path, what, where)
    key = str(file.resolve())
    stat = os.stat(key)
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _modules.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        module = (_imported(key) if cached is None else None) or _execute(key, what)
        _modules[key] = (stamp, module)
        return module


def _imported(key: str) -> ModuleType | None:
    """A module already imported from this file (a package module, the running script): reused as is,
    so that its classes are the very classes the rest of the program uses."""
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and file.endswith(".py") and os.path.basename(file) == os.path.basename(key):
            try:
                if os.path.samefile(file, key):
                    return module
            except OSError:
                continue
    return None


def _module_name(key: str) -> str:
    stem = Path(key).stem
    name = stem if stem.isidentifier() else "codelet_file"
    existing = sys.modules.get(name)
    if existing is None or getattr(existing, "__file__", None) == key:
        return name
    return f"{name}_{hashlib.sha1(key.encode()).hexdigest()[:8]}"


def _execute(key: str, what: str) -> ModuleType:
    folder = str(Path(key).parent)
    if folder not in sys.path:
        sys.path.append(folder)
    name = _module_name(key)
    spec = importlib.util.spec_from_file_location(name, key, loader=SourceFileLoader(name, key))
    module = importlib.util.module_from_spec(spec)
    previous = sys.modules.get(name)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        _restore(name, previous)
        line = exc.lineno or 0
        text = (exc.text or "").strip()
        raise CodeletFileError(
            f"syntax error in codelet file ({what}): {exc.msg}" + (f"\n    {text}" if text else ""),
            Location(key, line), "fix the codelet file") from None
    except Exception as exc:  # noqa: BLE001 - any failure while importing the user's file is reported
        _restore(name, previous)
        line = user_line(exc.__traceback__, key)
        raise CodeletFileError(
            f"importing codelet file ({what}) failed: {type(exc).__name__}: {exc}\n"
            + format_user_traceback(exc, key), Location(key, line),
            "fix the codelet file, or install what it imports") from exc
    return module


def _restore(name: str, previous: ModuleType | None) -> None:
    if previous is None:
        sys.modules.pop(name, None)
    else:
        sys.modules[name] = previous


def find_class(module: ModuleType, class_name: str, base: type, file: str, what: str,
               where: Location | None) -> type:
    """The class ``class_name`` of ``module``, which must derive from ``base`` (CodeletAdapter)."""
    cls = getattr(module, class_name, None)
    shown = file if file not in MAIN_MODULE_FILES else "the __main__ module"
    if not isinstance(cls, type):
        candidates = [n for n, v in vars(module).items()
                      if isinstance(v, type) and issubclass(v, base) and v is not base]
        hint = did_you_mean(class_name, candidates) or (
            f"classes there that implement CodeletAdapter: {', '.join(candidates)}" if candidates
            else "define a class deriving from gxf.python_codelet.CodeletAdapter")
        if cls is None:
            message = f"{what}: codelet file {shown} has no class '{class_name}' (codelet_name)"
        else:
            message = f"{what}: '{class_name}' in codelet file {shown} is a {type(cls).__name__}, not a class"
        raise CodeletFileError(message, where, hint)
    if not issubclass(cls, base):
        raise CodeletFileError(
            f"{what}: class '{class_name}' in {shown} does not derive from CodeletAdapter",
            Location(file, _class_line(cls)) if file not in MAIN_MODULE_FILES else where,
            "write 'class " + class_name + "(CodeletAdapter):' with "
            "'from gxf.python_codelet import CodeletAdapter'")
    return cls


def _class_line(cls: type) -> int:
    try:
        import inspect

        return inspect.getsourcelines(cls)[1]
    except (OSError, TypeError):
        return 0


def source_file(cls: type) -> str | None:
    """The file a codelet class is defined in, or None (interactive sessions, exec'd code)."""
    module = sys.modules.get(cls.__module__)
    file = getattr(module, "__file__", None)
    return str(Path(file).resolve()) if file and Path(file).is_file() else None


# --- reporting failures of user code -----------------------------------------------------------------
def user_frames(tb: TracebackType | None, files: tuple[str, ...] = ()) -> list[traceback.FrameSummary]:
    """The traceback from the first frame in one of ``files`` (or the whole of it if none is)."""
    frames = traceback.extract_tb(tb)
    for index, frame in enumerate(frames):
        if frame.filename in files:
            return frames[index:]
    return frames


def user_line(tb: TracebackType | None, file: str) -> int:
    """The line of the innermost frame in ``file``, else 0."""
    line = 0
    for frame in traceback.extract_tb(tb):
        if frame.filename == file:
            line = frame.lineno or 0
    return line


def format_user_traceback(exc: BaseException, *files: str, limit: int = 8, with_error: bool = True) -> str:
    """A short 'Traceback' block of the frames from the user's code on (and the error, if ``with_error``)."""
    frames = user_frames(exc.__traceback__, files)[-limit:]
    lines = ["  Python traceback (most recent call last):"]
    for frame in frames:
        lines.append(f'    File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"      {frame.line.strip()}")
    if with_error:
        lines.append(f"    {type(exc).__name__}: {exc}" if str(exc) else f"    {type(exc).__name__}")
    return "\n".join(lines)
