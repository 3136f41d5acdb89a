"""FileStream: the endpoint EntityRecorder and EntityReplayer use, one file to write or one to read.

Writing keeps its own buffer and hands it to the operating system with ``os.write``, so it always
knows how many bytes really reached the file (``written``): a full disk is an error naming the file,
and the recorder never indexes bytes that were not written. Large pieces (a tensor's data) go to the
file directly from the tensor's memory, without a copy. Reading goes through Python's buffered reader.
"""

from __future__ import annotations

import errno
import os

from .endpoint import Endpoint
from .file_format import SerializationError

_BUFFER_SIZE = 1 << 20


def os_error_text(exc: OSError, path: str, doing: str) -> SerializationError:
    """A SerializationError for an OSError while ``doing`` something with ``path``, with what to do."""
    reason = exc.strerror or str(exc)
    hints = {
        errno.ENOENT: "create the directory first (the recorder does not create it, as in GXF)",
        errno.ENOSPC: "free space on the disk, or record to another directory",
        errno.EDQUOT: "free space on the disk, or record to another directory",
        errno.EACCES: "choose a directory you may write to, or change its permissions",
        errno.EROFS: "choose a directory on a writable file system",
        errno.EISDIR: "give a basename that is not a directory",
    }
    return SerializationError(f"cannot {doing} '{path}': {reason}", hint=hints.get(exc.errno))


class FileStream(Endpoint):
    """A file opened for writing (``output_path``) or reading (``input_path``) as a byte stream."""

    def __init__(self, input_path: str = "", output_path: str = "", buffer_size: int = _BUFFER_SIZE):
        Endpoint.__init__(self)
        self.input_path = input_path
        self.output_path = output_path
        self._buffer_size = buffer_size
        self._out_fd: int | None = None
        self._out = bytearray()
        self.written = 0     # bytes handed to the operating system
        self._in = None

    # --- opening and closing ---------------------------------------------------------------------
    def open(self) -> None:
        """Opens the output file (created or emptied) and the input file; errors name the file."""
        if self.output_path:
            try:
                self._out_fd = os.open(self.output_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            except OSError as exc:
                raise os_error_text(exc, self.output_path, "create") from None
            self.written = 0
        if self.input_path:
            try:
                self._in = open(self.input_path, "rb", buffering=_BUFFER_SIZE)  # noqa: SIM115 - kept open
            except OSError as exc:
                raise os_error_text(exc, self.input_path, "open") from None

    def close(self) -> None:
        """Writes what is buffered and closes the files (the first error is raised, both are closed)."""
        failure = None
        if self._out_fd is not None:
            try:
                self.flush()
            except SerializationError as exc:
                failure = exc
            os.close(self._out_fd)
            self._out_fd = None
        if self._in is not None:
            self._in.close()
            self._in = None
        if failure is not None:
            raise failure

    def is_open(self) -> bool:
        return self._out_fd is not None or self._in is not None

    # --- writing ----------------------------------------------------------------------------------
    def is_write_available(self) -> bool:
        return self._out_fd is not None

    def write(self, data) -> int:
        out = self._out
        if data.__class__ is bytes and len(data) < 65536:
            out += data
            if len(out) >= self._buffer_size:
                self.flush()
            return len(data)
        view = memoryview(data).cast("B")
        size = view.nbytes
        if size >= 65536:
            self.flush()
            self._write_all(view)
        else:
            out += view
            if len(out) >= self._buffer_size:
                self.flush()
        return size

    def flush(self) -> None:
        """Hands the buffered bytes to the operating system."""
        out = self._out
        if out:
            view = memoryview(out)
            try:
                self._write_all(view)
            finally:
                # on failure what was not written is gone: a later flush must not write it after a hole
                view.release()
                out.clear()

    def _write_all(self, view: memoryview) -> None:
        if self._out_fd is None:
            raise SerializationError(f"'{self.output_path or '(no file)'}' is not open for writing")
        done = 0
        total = view.nbytes
        while done < total:
            try:
                count = os.write(self._out_fd, view[done:])
            except OSError as exc:
                self.written += done
                raise os_error_text(exc, self.output_path, "write to") from None
            done += count
        self.written += done

    def rollback(self, position: int) -> None:
        """Forgets everything written after byte ``position`` (a message that failed half-way)."""
        if position >= self.written:
            del self._out[position - self.written:]
            return
        self._out.clear()
        if self._out_fd is not None:
            os.ftruncate(self._out_fd, position)
            os.lseek(self._out_fd, position, os.SEEK_SET)
        self.written = position

    def pending(self) -> int:
        """Bytes written to the stream but not yet to the file."""
        return len(self._out)

    # --- reading ----------------------------------------------------------------------------------
    def is_read_available(self) -> bool:
        return self._in is not None

    def read(self, size: int) -> bytes:
        return self._in.read(size)

    def readinto(self, buffer) -> int:
        return self._in.readinto(buffer)

    def reader(self):
        return self._in.read

    def tell(self) -> int | None:
        if self._in is not None:
            return self._in.tell()
        return self.written + len(self._out)

    def seek(self, offset: int) -> None:
        """Moves the read position to ``offset`` bytes from the start of the input file."""
        self._in.seek(offset)
