"""The one Jinja environment every template is rendered with: user folder first, then built-ins."""

from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache

from .. import BUILTIN_TEMPLATES
from .docs import docstring


class _CompiledTemplates(FileSystemBytecodeCache):
    """Templates compiled by earlier builds, as Python keeps modules in ``__pycache__``: in
    Jinja's per-user temporary folder, keyed by each template's source checksum (an edited
    template compiles afresh). Compiling is a tenth of a small build. Any failure to read or
    write the folder only means compiling again."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            return


@functools.cache
def _bytecode_cache() -> BytecodeCache | None:
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):  # no safe temporary folder for this user
        return None


def cache_folder() -> Path | None:
    """The folder compiled templates are kept in (per user, private), for other facts derived
    from specgen's own files; None where there is no safe one."""
    cache = _bytecode_cache()
    return Path(cache.directory) if isinstance(cache, FileSystemBytecodeCache) else None


def make_environment(template_dir: Path | None = None) -> Environment:
    """An environment whose loader tries ``template_dir`` before the built-in templates.

    Includes and imports go through the same loader, so a user's macro file replaces the
    built-in one wherever it is used.
    """
    folders = [BUILTIN_TEMPLATES] if template_dir is None else [template_dir, BUILTIN_TEMPLATES]
    environment = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        bytecode_cache=_bytecode_cache(),
    )
    environment.filters["docstring"] = docstring
    return environment
