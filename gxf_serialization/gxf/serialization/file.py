"""File: an endpoint over a file on disk, with the file operations GXF's File component offers."""

from __future__ import annotations

import os
import stat
import time

from gxf.core import Handle, Parameter
from gxf.std.allocator import Allocator

from .endpoint import Endpoint
from .file_format import SerializationError
from .file_stream import os_error_text


class File(Endpoint, type_name="nvidia::gxf::File", uuid="c132f22c-1ed1-6c0f-ed53-c63bf9b28354"):
    """A file as an endpoint: opened at initialize when ``file_path`` is set, or later with ``open()``.

    ``file_mode`` is C's: "rb" reads, "wb" creates or empties and writes, "ab" appends, a "+" adds the
    other direction ("wb+" is the default).
    """

    allocator = Parameter(Handle(Allocator), description="Allocator for the stream buffer")
    file_path = Parameter(str, "", "Path to the file (empty: opened later with open())")
    file_mode = Parameter(str, "wb+", 'Access mode: "rb", "rb+", "wb", "wb+" (default), "ab" or "ab+"')
    buffer_size = Parameter(int, 1 << 21, "Size of the stream buffer in bytes (2 MiB)", minimum=0)

    def initialize(self) -> None:
        self._file = None
        self._error = False
        if self.file_path:
            self.open()

    def deinitialize(self) -> None:
        if self._file is not None:
            self.close()

    # --- opening ------------------------------------------------------------------------------
    def open(self, path: str | None = None, mode: str | None = None) -> None:
        """Opens ``path`` (default: ``file_path``) in ``mode`` (default: ``file_mode``)."""
        if self._file is not None:
            raise SerializationError(f"{self.describe_self()}: '{self.file_path}' is already open",
                                     self.location, "close() it first")
        if path is not None:
            self.file_path = path
        if mode is not None:
            self.file_mode = mode
        if not self.file_path:
            raise SerializationError(f"{self.describe_self()}: the file path is empty", self.location,
                                     "set the parameter file_path or give open() a path")
        mode = self.file_mode if "b" in self.file_mode else self.file_mode + "b"
        try:
            self._file = open(self.file_path, mode, buffering=self.buffer_size or 0)  # noqa: SIM115
        except ValueError:
            raise SerializationError(f"{self.describe_self()}: '{self.file_mode}' is not a file mode",
                                     self.location, 'use "rb", "wb", "ab", with "+" to read and write')
        except OSError as exc:
            raise os_error_text(exc, self.file_path, "open") from None
        self._error = False

    def close(self) -> None:
        if self._file is None:
            raise SerializationError(f"{self.describe_self()}: the file is already closed", self.location)
        file, self._file = self._file, None
        try:
            file.close()
        except OSError as exc:
            raise os_error_text(exc, self.file_path, "close") from None

    def is_open(self) -> bool:
        return self._file is not None

    def _opened(self):
        if self._file is None:
            raise SerializationError(f"{self.describe_self()}: the file is not open", self.location,
                                     "set file_path or call open()")
        return self._file

    # --- the endpoint -------------------------------------------------------------------------
    def is_write_available(self) -> bool:
        return self._file is not None and self._file.writable()

    def is_read_available(self) -> bool:
        return self._file is not None and self._file.readable()

    def write(self, data) -> int:
        try:
            return self._opened().write(data)
        except OSError as exc:
            self._error = True
            raise os_error_text(exc, self.file_path, "write to") from None

    def read(self, size: int) -> bytes:
        try:
            return self._opened().read(size)
        except OSError as exc:
            self._error = True
            raise os_error_text(exc, self.file_path, "read") from None

    def readinto(self, buffer) -> int:
        try:
            return self._opened().readinto(buffer)
        except OSError as exc:
            self._error = True
            raise os_error_text(exc, self.file_path, "read") from None

    # --- GXF's file operations ----------------------------------------------------------------
    def clear(self) -> None:
        """Forgets an earlier error (C's clearerr)."""
        self._error = False

    def eof(self) -> bool:
        """True if the read position is at the end of the file."""
        file = self._opened()
        return file.tell() >= os.fstat(file.fileno()).st_size

    def error(self) -> bool:
        """True if a read or write failed since the file was opened or ``clear()`` was called."""
        return self._error

    def flush(self) -> None:
        try:
            self._opened().flush()
        except OSError as exc:
            self._error = True
            raise os_error_text(exc, self.file_path, "write to") from None

    def seek(self, offset: int, position: int = os.SEEK_SET) -> None:
        self._opened().seek(offset, position)

    def tell(self) -> int:
        return self._opened().tell()

    def path(self) -> str | None:
        return self.file_path or None

    def mode(self) -> str:
        return self.file_mode

    def rename(self, path: str) -> None:
        """Renames the file on disk (open or not) and remembers the new path."""
        try:
            os.rename(self.file_path, path)
        except OSError as exc:
            raise os_error_text(exc, self.file_path, f"rename to '{path}'") from None
        self.file_path = path

    def add_timestamp(self, timestamp: int, utc: bool = False) -> None:
        """Prefixes the file's name with the date and time of ``timestamp`` (ns), e.g. 2024-01-31_12-00-00_."""
        seconds = timestamp // 1_000_000_000
        moment = time.gmtime(seconds) if utc else time.localtime(seconds)
        directory, _, name = self.file_path.rpartition("/")
        prefix = time.strftime("%Y-%m-%d_%H-%M-%S_", moment)
        self.rename(f"{directory}/{prefix}{name}" if directory else prefix + name)

    def write_protect(self) -> None:
        """Makes the file read-only for everyone."""
        try:
            os.chmod(self.file_path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        except OSError as exc:
            raise os_error_text(exc, self.file_path, "write-protect") from None
