"""Work done in a forked copy of the process, on the other core, while the caller goes on.

A build is one Python thread; the machine usually has a second core. After the merge, a few
parts of the output depend only on the API (the merged document, the models module) and take
about as long as the rest of the rendering, so a copy of the process made by ``fork`` computes
them meanwhile and hands back their text. The child is only a shortcut: wherever it cannot give
the answer (no ``fork`` on this platform, a thread running, the child failing or killed), the
caller computes the same thing itself, so the value and any error are always the caller's own.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

ENABLED = True
"""Off: every ``Forked`` computes in the caller (tests compare both ways)."""


def can_fork() -> bool:
    """Whether a copy would run beside this process: a second core to run on, and one thread
    here (a fork copies only the calling thread)."""
    return ENABLED and hasattr(os, "fork") and _cores() >= 2 and not _other_threads()


def _other_threads() -> bool:
    """Whether a thread besides this one runs (one is started through ``threading``, if at all)."""
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1


def _cores() -> int:
    """The cores this process may run on (its affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Forked(Generic[T]):
    """``work()``, computed in a forked child from now on; ``result`` waits for its value.

    ``here`` computes the same value in the caller where the child gives none (by default
    ``work``; another order of the same steps can make a failure the one the caller expects)."""

    def __init__(self, work: Callable[[], T], *, here: Callable[[], T] | None = None) -> None:
        self._work = work
        self._here = here or work
        self._pid = 0
        self._reader = -1
        if can_fork():
            self._start()

    def _start(self) -> None:
        reader, writer = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no memory or process left for a copy: the caller computes
            os.close(reader)
            os.close(writer)
            return
        if pid == 0:  # the child: compute, hand the value over, leave without any teardown
            os.close(reader)
            code = 1
            try:
                data = pickle.dumps(self._work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(writer, "wb") as stream:
                    stream.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(writer)
        self._pid, self._reader = pid, reader

    def result(self) -> T:
        """The value of ``work()``: the child's, or the caller's own if the child gave none."""
        if self._pid:
            data = self._collect()
            if data is not None:
                value: T = pickle.loads(data)
                return value
        return self._here()

    def _collect(self) -> bytes | None:
        with os.fdopen(self._reader, "rb") as stream:
            data = stream.read()
        _pid, status = os.waitpid(self._pid, 0)
        self._pid = 0
        return data if os.waitstatus_to_exitcode(status) == 0 and data else None

    def discard(self) -> None:
        """Stop the child (the caller failed meanwhile, or no longer needs the value)."""
        if self._pid:
            import signal

            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.close(self._reader)
            os.waitpid(self._pid, 0)
            self._pid = 0
