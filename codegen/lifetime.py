"""Working data the ``specgen`` program keeps to its end instead of freeing it stage by stage.

The program ends with ``os._exit`` (``cli.run``): the system takes its heap back at once. A stage's
working data (a merge's shape facts and names, the parsed documents) would otherwise be freed as
the stage returns, a cascade over millions of small objects that buys nothing the process uses
again. ``cli.run`` turns keeping on; called in process (tests, the library API) nothing is kept,
so memory is freed as usual.
"""

from __future__ import annotations

_kept: list[object] | None = None


def keep_until_exit(*objects: object) -> None:
    """Hold ``objects`` to the process's end, if the process ends without freeing its heap."""
    if _kept is not None:
        _kept.extend(objects)


def start_keeping() -> None:
    """For a process that ends with ``os._exit``: from now on ``keep_until_exit`` holds."""
    global _kept
    if _kept is None:
        _kept = []
