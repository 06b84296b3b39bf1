"""One frozen configuration, built once: command-line flags over ``[tool.specgen]`` over defaults."""

from __future__ import annotations

import keyword
import tomllib
from pathlib import Path
from typing import Any

import msgspec

from .errors import SpecgenError


class Config(msgspec.Struct, frozen=True):
    """Everything a build needs to know that is not in the vendor documents."""

    package: str = "api_client"
    out: Path = Path("generated")
    templates: Path | None = None
    server_impl: Path | None = None
    strict: bool = False
    sources: tuple[str, ...] = ()
    """Glob patterns (relative to pyproject.toml) of the documents `build` and `check` read by default."""
    reference: tuple[Path, ...] = ()
    """Documents of the API family given as evidence of less weight than the vendors' own."""


def _find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def project_root(cwd: Path | None = None) -> Path | None:
    """The folder of the nearest pyproject.toml, if any: where project-wide state lives."""
    pyproject = _find_pyproject((cwd or Path.cwd()).resolve())
    return pyproject.parent if pyproject is not None else None


def load_config(cwd: Path | None = None, **overrides: Any) -> Config:
    """Read ``[tool.specgen]`` from the nearest pyproject.toml, then apply non-None overrides."""
    config = Config()
    pyproject = _find_pyproject((cwd or Path.cwd()).resolve())
    if pyproject is not None:
        try:
            table = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SpecgenError(f"invalid TOML: {exc}", file=str(pyproject)) from None
        section = table.get("tool", {}).get("specgen", {})
        known = set(Config.__struct_fields__)
        unknown = sorted(set(section) - known)
        if unknown:
            raise SpecgenError(
                f"unknown [tool.specgen] keys: {', '.join(unknown)}", file=str(pyproject)
            )
        base = pyproject.parent
        values: dict[str, Any] = {}
        for key, value in section.items():
            if key in {"out", "templates", "server_impl"}:
                values[key] = base / value
            elif key == "reference":
                values[key] = tuple(base / item for item in value)
            elif key == "sources":
                values[key] = tuple(str(base / item) for item in value)
            else:
                values[key] = value
        config = msgspec.structs.replace(config, **values)
    chosen = {key: value for key, value in overrides.items() if value is not None}
    config = msgspec.structs.replace(config, **chosen)
    package = config.package
    if not isinstance(package, str) or not package.isidentifier() or keyword.iskeyword(package):
        where = "--package" if "package" in chosen else str(pyproject or "the configuration")
        raise SpecgenError(f"package name {package!r} is not a Python identifier", file=where)
    return config


def expand_sources(patterns: tuple[str, ...]) -> list[Path]:
    """The files the config's glob patterns name, sorted; a pattern naming nothing is an error."""
    import glob

    found: list[Path] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern))
        if not matches:
            raise SpecgenError(f"no document matches {pattern!r}", file="pyproject.toml")
        found.extend(Path(match) for match in matches)
    return found
