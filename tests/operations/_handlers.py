"""A handler made of a few functions, mounted by route: what a user's partial handler is."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType, SimpleNamespace
from typing import Any


def handler_for(server: ModuleType, routes: dict[tuple[str, str], Callable[..., Any]]) -> Any:
    """A handler whose methods are the given functions, by (METHOD, path) of the operation."""
    names = {(op.method.upper(), op.path): name for op, name in server.ROUTES}
    handler = SimpleNamespace()
    for route, function in routes.items():
        setattr(handler, names[route], function)
    return handler
