"""Atomic, durable, private file writes: every file txplan writes goes through here.

A file is written to a private temporary file in the same folder (``.<name>.<random>.part``,
mode 0600), flushed and fsynced, renamed over the target, and the folder is fsynced so the
rename survives a power cut. A reader never sees half a file; a killed writer leaves at most
a ``.part`` file, which :func:`remove_partial_files` clears. Folders txplan creates are 0700.
Where Linux allows it (``O_TMPFILE`` and ``/proc``), :func:`write_bytes` writes a file that
does not exist yet without a name and links it in whole (no rename; a killed writer leaves
nothing); a file already there is replaced through a temporary name as above.

``durable=False`` keeps the private file and the atomic rename but skips both fsyncs: only the
batch engine uses it, for the documents of a build, whose durability the ledger already
guarantees (it fsyncs the folder once per batch of rows, and a resumed build re-renders any
document whose bytes no longer match the SHA-256 it recorded). Two fsyncs per document would
cost more than rendering it (about 10 ms against 1 ms on the reference machine).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

#: The suffix of temporary files (``.<name>.<random>.part``); watchers and cleanup know it.
PART_SUFFIX = ".part"
FILE_MODE = 0o600
DIR_MODE = 0o700
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def make_dirs(folder: str | os.PathLike[str]) -> Path:
    """Create ``folder`` and any missing parents, each one txplan creates private (0700)."""
    folder = Path(folder)
    missing: list[Path] = []
    probe = folder
    while not os.path.lexists(probe) and probe.parent != probe:
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):  # a file in the way raises NotADirectoryError here
        try:
            path.mkdir(mode=DIR_MODE)
        except FileExistsError:
            if not path.is_dir():
                raise
    if not missing and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(folder))
    return folder


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Make a folder's entries (a rename, a new file) durable; a no-op where unsupported."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename is still atomic
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_open(
    path: str | os.PathLike[str],
    mode: str = "wb",
    *,
    encoding: str | None = None,
    newline: str | None = None,
    durable: bool = True,
) -> Iterator[IO[Any]]:
    """Open a private temporary file beside ``path`` for writing; on a clean exit it is
    fsynced and renamed over ``path`` (and the folder fsynced); on an error it is removed
    and ``path`` is left as it was."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open writes only ('w' or 'wb'), not {mode!r}")
    path = Path(path)
    make_dirs(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=PART_SUFFIX, dir=path.parent)
    try:
        if "b" in mode:
            handle = os.fdopen(fd, mode)
        else:
            handle = os.fdopen(fd, mode, encoding=encoding or "utf-8", newline=newline)
        with handle:
            yield handle
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)


class PartFile:
    """A text file written over time under a private temporary name beside ``path``
    (``.<name>.<random>.part``, 0600): :meth:`commit` fsyncs it and renames it over ``path``
    (then the folder is fsynced, unless the caller does it once for several);
    :meth:`discard` removes it. A killed writer leaves only the ``.part`` file, which
    :func:`remove_partial_files` clears."""

    def __init__(self, path: str | os.PathLike[str], *, newline: str | None = None) -> None:
        self.path = Path(path)
        make_dirs(self.path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=PART_SUFFIX,
                                   dir=self.path.parent)  # fmt: skip
        self.tmp = Path(tmp)
        self.handle: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline=newline)

    def offset(self) -> int:
        """Bytes written so far (the text layer flushed)."""
        self.handle.flush()
        return os.lseek(self.handle.fileno(), 0, os.SEEK_CUR)

    def commit(self, *, sync_folder: bool = True) -> Path:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.tmp, self.path)
        if sync_folder:
            fsync_dir(self.path.parent)
        return self.path

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        self.tmp.unlink(missing_ok=True)


#: Linux's O_TMPFILE: a file with no name until it is linked into its folder whole.
_TMPFILE = getattr(os, "O_TMPFILE", 0)
#: Whether this process links unnamed files into place (off once the system says it cannot:
#: no O_TMPFILE on the file system, no /proc).
_unnamed = [bool(_TMPFILE) and os.path.isdir("/proc/self/fd")]


def _write_all(fd: int, data: bytes, durable: bool) -> None:
    view, written = memoryview(data), 0
    while written < len(view):
        written += os.write(fd, view[written:])
    if durable:
        os.fsync(fd)


def _part_name(folder: str, name: str) -> str:
    return os.path.join(folder, f".{name}.{os.urandom(6).hex()}{PART_SUFFIX}")


def _linked(path: str, folder: str, name: str, data: bytes, durable: bool) -> bool:
    """Write ``data`` to an unnamed private file in ``folder`` and link it in as ``path``
    (it appears whole, or not at all: a killed writer leaves nothing). A file already at
    ``path`` is replaced by a rename, as :func:`write_bytes` does. False (nothing written)
    when the system cannot do it here; the caller then writes under a temporary name."""
    try:
        fd = os.open(folder or ".", os.O_WRONLY | _TMPFILE | _CLOEXEC, FILE_MODE)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            _unnamed[0] = False  # this file system (or kernel) has no unnamed files
        return False
    try:
        _write_all(fd, data, durable)
        source = f"/proc/self/fd/{fd}"
        try:  # linkat(AT_SYMLINK_FOLLOW): the path is absolute, src_dir_fd only selects it
            os.link(source, path, src_dir_fd=fd)
            return True
        except FileExistsError:
            pass
        except OSError:
            _unnamed[0] = False  # no /proc to link through: temporary names from now on
            return False
        while True:  # a file is there: named, then renamed over it
            tmp = _part_name(folder, name)
            try:
                os.link(source, tmp, src_dir_fd=fd)
                break
            except FileExistsError:
                continue
        try:
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return True
    finally:
        os.close(fd)


def write_bytes(path: str | os.PathLike[str], data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically and (unless told otherwise) durably, 0600.

    The same steps as :func:`atomic_open`, in as few calls as possible: a build writes one
    document a plan through here (the folder is created only when the open says it is
    missing). Where Linux allows, a new file is written unnamed and linked in (no rename).
    """
    path = os.fspath(path)
    folder, name = os.path.split(path)
    if not (_unnamed[0] and _linked(path, folder, name, data, durable)):
        _named(path, folder, name, data, durable)
    if durable:
        fsync_dir(folder or ".")


def _named(path: str, folder: str, name: str, data: bytes, durable: bool) -> None:
    """:func:`write_bytes` through a private temporary file, renamed over ``path``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    while True:
        tmp = _part_name(folder, name)
        try:
            fd = os.open(tmp, flags, FILE_MODE)
            break
        except FileExistsError:
            continue
        except FileNotFoundError:
            if os.path.isdir(folder or "."):
                raise
            make_dirs(folder)
    try:
        try:
            _write_all(fd, data, durable)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically and durably (newlines as given)."""
    write_bytes(path, text.encode("utf-8"))


def write_lines(path: str | os.PathLike[str], lines: Iterable[str]) -> int:
    """Stream lines (each followed by ``\\n``) into ``path`` atomically; how many."""
    count = 0
    with atomic_open(path, "w", newline="\n") as handle:
        for line in lines:
            handle.write(line + "\n")
            count += 1
    return count


class SymlinkRefused(OSError):
    """A path txplan creates and owns (a ledger, a work folder) is a symbolic link (ELOOP,
    as ``O_NOFOLLOW`` says it; the CLI reports it with the path and exit 2)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(errno.ELOOP, "is a symbolic link; txplan refuses to follow it", str(path))


def create_private(path: str | os.PathLike[str], mode: str = "a+b") -> IO[Any]:
    """Open ``path`` for appending, creating it private (0600) if it is not there; a symbolic
    link there is refused (``O_NOFOLLOW``: never an outside file truncated or appended to)."""
    path = Path(path)
    make_dirs(path.parent)
    flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise SymlinkRefused(path) from exc
        raise
    return os.fdopen(fd, mode)


def refuse_symlink(path: str | os.PathLike[str]) -> Path:
    """``path`` unless it is a symbolic link (checked with lstat), which is refused."""
    path = Path(path)
    if path.is_symlink():
        raise SymlinkRefused(path)
    return path


def remove_partial_files(folder: str | os.PathLike[str]) -> int:
    """Delete the temporary files a killed writer left in ``folder``; how many."""
    removed = 0
    for path in Path(folder).glob(f".*{PART_SUFFIX}"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


__all__ = [
    "DIR_MODE",
    "FILE_MODE",
    "PART_SUFFIX",
    "PartFile",
    "SymlinkRefused",
    "atomic_open",
    "create_private",
    "fsync_dir",
    "make_dirs",
    "refuse_symlink",
    "remove_partial_files",
    "write_bytes",
    "write_lines",
    "write_text",
]
