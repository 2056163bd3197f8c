"""The CLI's one exit path: a verb's result and every failure become an exit code here.

A verb returns its exit code (0 all good, 1 some items rejected); a library exception
becomes a located message and exit 2, never a traceback (``--debug`` shows one); stderr lines
are escaped and hide values unless asked. No verb calls ``sys.exit``."""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import traceback
import unicodedata
from typing import Any

import click

from pipeline.errors import TxplanError

#: All good.
EXIT_OK = 0
#: Some items rejected (blocked, failed, invalid rows); the rest were done.
EXIT_REJECTED = 1
#: Unusable input or usage, a fault of the machine (disk, permissions) or a bug.
EXIT_UNUSABLE = 2


class Settings:
    """What the group options set for the whole run (one CLI invocation per process)."""

    debug = False
    show_values = False

    @classmethod
    def set(cls, *, debug: bool, show_values: bool) -> None:
        """The options of this invocation (or ``$TXPLAN_DEBUG`` / ``$TXPLAN_SHOW_VALUES``)."""
        cls.debug = debug or bool(os.environ.get("TXPLAN_DEBUG"))
        cls.show_values = show_values or bool(os.environ.get("TXPLAN_SHOW_VALUES"))


class Stop(click.ClickException):
    """A clean stop: the message on stderr, exit 2."""

    exit_code = EXIT_UNUSABLE

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where

    def format_message(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return printable(place + redact(self.message, self.where))

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


_OS_HINTS = {
    errno.ENOSPC: "the disk is full; free some space and run again (a build resumes)",
    errno.EDQUOT: "the disk quota is used up; free some space and run again",
    errno.EROFS: "the file system is read-only; choose another folder",
    errno.EACCES: "permission denied; choose a folder you may write to",
    errno.EPERM: "not permitted; choose a folder you may write to",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "the path is a folder, not a file",
    errno.ENOENT: "no such file or folder",
    errno.ELOOP: "the path is a symbolic link, which txplan refuses for its own files",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EMFILE: "too many open files; raise the limit (ulimit -n) or use fewer --workers",
}


def os_message(exc: OSError) -> str:
    """A full disk, a read-only folder, a path below a file: what happened and what to do."""
    hint = _OS_HINTS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    where = exc.filename if exc.filename is not None else ""
    return f"{where}: {hint}" if where else f"cannot read or write a file: {hint}"


def sqlite_message(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "the plan store is busy (another txplan is writing to it); try again shortly"
    if "readonly" in text or "read-only" in text:
        return "the plan store is read-only; pass a writable one with --store"
    if "full" in text:
        return "the disk holding the plan store is full; free some space and run again"
    return f"the plan store is damaged or not a txplan store ({exc}); pass another with --store"


def bug_message(exc: BaseException) -> str:
    """Where an unexpected exception came from, without its text (which may quote values)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "pipeline" in f.filename.replace("\\", "/").split("/")]
    frame = (ours or frames or [None])[-1]
    place = ""
    if frame is not None:
        path = frame.filename.replace("\\", "/")
        place = f" at {path[path.rfind('pipeline/') :] if 'pipeline/' in path else path}"
        place += f":{frame.lineno}"
    return (f"internal error (a bug in txplan): {type(exc).__name__}{place}; run again with "
            "txplan --debug for the traceback and report it")  # fmt: skip


def translate(exc: BaseException) -> click.ClickException | None:
    """The clean stop for an exception, or None to let it through (click's own, exits)."""
    if isinstance(exc, click.ClickException | click.exceptions.Exit | click.Abort):
        return None
    if isinstance(exc, SystemExit | KeyboardInterrupt | GeneratorExit):
        return None
    if isinstance(exc, TxplanError):
        return Stop(exc.message, exc.where)
    if isinstance(exc, OSError):
        if exc.errno == errno.EPIPE and exc.filename is None:
            return None  # stdout closed (txplan ... | head): click exits quietly
        return Stop(os_message(exc))
    if isinstance(exc, sqlite3.Error):
        return Stop(sqlite_message(exc))
    if isinstance(exc, MemoryError):
        return Stop("out of memory; use fewer --workers or split the input")
    if isinstance(exc, RecursionError):
        return Stop("an input is nested too deeply to read")
    return Stop(bug_message(exc))


class GuardedGroup(click.Group):
    """A click group whose commands never end in a traceback (unless ``--debug``) and whose
    verbs return their exit code: the one place that turns outcomes into exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        os.umask(0o077)  # everything txplan creates is private: files 0600, folders 0700
        try:
            code = super().invoke(ctx)
        except BaseException as exc:
            if Settings.debug:
                raise
            stop = translate(exc)
            if stop is None:
                raise
            raise stop from exc
        if code not in (None, EXIT_OK, EXIT_REJECTED, EXIT_UNUSABLE):
            raise TypeError(f"a verb returned {code!r}, not an exit code")
        if code:
            ctx.exit(code)
        return None


_QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_REPR_VALUE = re.compile(r"input_value=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\S+)")


def redact(message: str, where: str = "") -> str:
    """A message with every quoted value replaced by ``"…"`` (unless ``--show-values``).

    Readers quote the cells they could not use (``"31/02/1990" is not a date``); those
    values are client data, and stderr ends up in logs. A quoted text that the place also
    names (a column header, a sheet) is a label, not a value, and stays."""
    if Settings.show_values:
        return message
    message = _REPR_VALUE.sub("input_value=…", message)
    return _QUOTED.sub(lambda m: m.group(0) if m.group(0) in where else '"…"', message)


def printable(text: str) -> str:
    """Control, format (bidi) and surrogate characters escaped, so a value cannot forge or
    reorder a log line (``\\n`` -> ``\\x0a``, U+202E -> ``\\u202e``)."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable() or char == " ":
            out.append(char)
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        elif unicodedata.category(char) in ("Zs",):
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return "".join(out)


def finding_line(finding: Any) -> str:
    """A finding as stderr shows it: its place as is, its message with values hidden."""
    place = f"{finding.where}: " if finding.where else ""
    code = f"{finding.severity.value} {finding.code}"
    return printable(f"{place}{code}: {redact(finding.message, finding.where)}")


def echo_err(line: str) -> None:
    """One line on stderr, escaped and with values hidden."""
    click.echo(printable(redact(line)), err=True)


def echo_out(line: str) -> None:
    """One line on stdout, escaped (ids come from files)."""
    click.echo(printable(line))
