"""Render the merged IR into the generated Python package: models, client, vendor profiles.

``render_package`` returns the files as texts (pure, deterministic); ``write_package`` puts them
on disk all at once.
"""

from __future__ import annotations

from .package import HEADER_MARKER, fingerprint, render_package
from .writer import write_package

__all__ = ["HEADER_MARKER", "fingerprint", "render_package", "write_package"]
