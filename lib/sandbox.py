"""Run a risky function in a child process with a memory ceiling and a time limit.

Parsers written in native code (python-calamine) can be made to ask for hundreds of
gigabytes by a 5 KB file, or to crash outright. Run in the worker's own process,
either kills the worker, and a redelivered task kills the next one. Run here, the
child dies instead and the caller gets ``ChildFailed``, with the worker unharmed.

The child is forked, so it starts with everything the parent has (settings, the
active language, arguments that need no pickling) and sends back only its result
and its messages, pickled through a pipe. It must not use the parent's database
connection: it shares the socket. Leave the database to the parent.
"""

import contextlib
import ctypes
import faulthandler
import os
import resource
import signal
import time
from collections.abc import Callable
from multiprocessing import Pipe
from typing import Any, TypeVar

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
Send = Callable[[Any], None]


class ChildFailed(Exception):
    """The child ended without a result: killed, crashed, out of memory or time."""

    def __init__(self, reason: str, *, signal_number: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.signal_number = signal_number


def run_in_child(
    work: Callable[[Send], T],
    *,
    memory_bytes: int | None,
    timeout: float,
    on_message: Callable[[Any], None] | None = None,
) -> T:
    """``work(send)`` in a forked child; its return value, or its exception raised
    here. ``send(message)`` in the child calls ``on_message(message)`` here (progress,
    say). Address space above ``memory_bytes`` fails the child's allocations (a
    Python MemoryError comes back as such; a native allocation failure aborts the
    child). Raises ChildFailed when the child dies or runs past ``timeout`` seconds
    (it is then killed)."""
    reader, writer = Pipe(duplex=False)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's exit is read by the parent
        reader.close()  # so that a send to a parent gone fails instead of blocking
        _die_with_parent(parent)
        _child(work, writer, memory_bytes)
    writer.close()
    outcome: tuple[str, Any] | None = None
    timed_out = False
    deadline = time.monotonic() + timeout
    try:
        while outcome is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            if not reader.poll(min(remaining, 0.5)):
                continue
            try:
                kind, payload = reader.recv()
            except (EOFError, OSError):
                break  # the child is gone without a word
            if kind == "message":
                if on_message is not None:
                    on_message(payload)
                continue
            outcome = (kind, payload)
    finally:
        reader.close()
        if outcome is None:
            _kill(pid)
        _pid, status = os.waitpid(pid, 0)
    if timed_out:
        raise ChildFailed(f"timed out after {timeout:g} s")
    if outcome is None:
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            raise ChildFailed(
                f"killed by {signal.Signals(number).name}", signal_number=number
            )
        raise ChildFailed(f"exited with status {os.WEXITSTATUS(status)}")
    kind, payload = outcome
    if kind == "error":
        raise payload
    return payload  # type: ignore[no-any-return]


def _child(work: Callable[[Send], Any], writer: Any, memory_bytes: int | None) -> None:
    status = 1
    try:
        # A native crash is reported to the parent by the exit status; a traceback
        # dump of the parent's threads would only mislead whoever reads the log.
        faulthandler.disable()
        if memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

        def send(message: Any) -> None:
            writer.send(("message", message))

        try:
            result = work(send)
        except BaseException as error:  # sent to the parent, raised there
            try:
                writer.send(("error", error))
            except Exception:
                writer.send(("error", RuntimeError(repr(error))))
        else:
            writer.send(("result", result))
        status = 0
    finally:
        # No cleanup of the parent's state (database connections above all):
        # leave at once.
        os._exit(status)


def _die_with_parent(parent: int) -> None:  # pragma: no cover - in the child
    """The kernel kills the child when the process that forked it dies (a worker
    killed mid-import): it never reads on alone, holding hundreds of megabytes and
    a pipe nobody reads. Linux's prctl(PR_SET_PDEATHSIG); where there is none, the
    closed pipe still ends the child at its next message."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # gone before the line above took effect
        os._exit(1)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
