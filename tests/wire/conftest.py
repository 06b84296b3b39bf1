"""The committed generated package, as tests/generated imports it (one copy per session)."""

from __future__ import annotations

from tests.generated.conftest import anyio_backend, api

__all__ = ["anyio_backend", "api"]
