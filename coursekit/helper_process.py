"""A forked copy of this process that does part of a build on another core, and sends back what it made.

The engine builds page after page on one core. Once the navigation is known, each page's
Markdown, and then each page's template, depends on nothing another page's step changes, so a
copy of the process forked at that moment can take a share of the pages with everything the
parent knows. It sends back only what the parent cannot see (the cache entries it made, its log
lines); the parent merges them in page order, so the site is the same bytes as a serial build's.
If the copy fails in any way, `result()` is None and the parent does that share itself, so a
broken page is reported exactly as a serial build reports it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence

JOBS_VARIABLE = "COURSEKIT_JOBS"
# A copy that has not answered this long (or as long again as it has run, if longer) after the parent finished
# its own share is stopped, and the parent does the share itself: the copy may be stuck on a lock another
# thread of the parent held when it forked.
PATIENCE_SECONDS = 10.0

_beside_threads = threading.local()


@contextlib.contextmanager
def beside_threads() -> Iterator[None]:
    """Let builds in this block fork although other threads run (the preview's server, whose threads only wait).

    The copy touches nothing those threads hold: it prints nothing and sends its log lines back, and
    a copy that never answers is stopped (PATIENCE_SECONDS) and its share done by the parent.
    """
    _beside_threads.allowed = True
    try:
        yield
    finally:
        _beside_threads.allowed = False


def cores() -> int:
    """How many processes a build may use: the cores this process may run on, or COURSEKIT_JOBS (1 turns it off).

    One inside a process with other threads, unless the caller allows it (beside_threads): a fork
    copies only the calling thread, and a lock another thread held at that moment stays locked.
    """
    chosen = os.environ.get(JOBS_VARIABLE, "").strip()
    if chosen.isdigit() and int(chosen) >= 1:
        return min(int(chosen), 2)
    alone = threading.active_count() == 1 or getattr(_beside_threads, "allowed", False)
    if not hasattr(os, "fork") or not alone:
        return 1
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS has no affinity call
        available = os.cpu_count() or 1
    return min(available, 2)


def split(items: Sequence, weight: Callable[[object], int], parts: int) -> tuple[list, list]:
    """The items cut in two at the point that gives the parent 1/parts of the total weight (all of it with one part)."""
    if parts < 2 or len(items) < 2:
        return list(items), []
    total = sum(weight(item) for item in items)
    running = 0
    for number, item in enumerate(items):
        running += weight(item)
        if running * parts >= total:
            cut = max(1, min(number + 1, len(items) - 1))
            return list(items[:cut]), list(items[cut:])
    return list(items), []


class Helper:
    """The forked copy: started with a function to run, read once with `result()`."""

    def __init__(self, work: Callable[[], object]):
        self.pid = 0
        self._read = -1
        self.started = time.monotonic()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the copy: run, send, and leave without running the parent's exit handlers
            os.close(read)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                data = pickle.dumps(("done", work()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                data = pickle.dumps(("failed", None))
            try:
                with os.fdopen(write, "wb") as out:
                    out.write(data)
            finally:
                os._exit(0)
        os.close(write)
        self.pid, self._read = pid, read

    def result(self) -> object | None:
        """What the copy's function returned, or None if it failed, died or kept silent past PATIENCE_SECONDS."""
        now = time.monotonic()
        deadline = now + max(PATIENCE_SECONDS, now - self.started)
        try:
            while not select.select([self._read], [], [], max(0.0, deadline - time.monotonic()))[0]:
                if time.monotonic() >= deadline:
                    self.stop()
                    return None
            with os.fdopen(self._read, "rb") as source:
                data = source.read()
        finally:
            self._read = -1
            self._reap()
        try:
            status, value = pickle.loads(data)
        except Exception:  # cut short: the copy was killed, or ran out of memory
            return None
        return value if status == "done" else None

    def stop(self) -> None:
        """End the copy early (the parent's own share failed)."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        if self._read >= 0:
            os.close(self._read)
            self._read = -1
        self._reap()

    def _reap(self) -> None:
        if self.pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0


@contextlib.contextmanager
def helping(work: Callable[[], object] | None) -> Iterator[Helper | None]:
    """A Helper running `work` for the block (None when there is no work), stopped if the block fails."""
    helper = Helper(work) if work is not None else None
    try:
        yield helper
    finally:
        if helper is not None:
            helper.stop()  # nothing left to stop once its result was read


def share(mine: Sequence, theirs: Sequence, do: Callable[[object], None], helper_work: Callable[[], object]):
    """Do `mine` here while a helper runs `helper_work` (its share, `theirs`), and return what the helper sent.

    Without an answer from the helper (it failed, died or was stopped), do `theirs` here too and return None.
    """
    with helping(helper_work if theirs else None) as helper:
        for item in mine:
            do(item)
        result = helper.result() if helper else None
    if result is None:
        for item in theirs:
            do(item)
    return result
