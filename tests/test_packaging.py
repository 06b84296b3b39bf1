"""specgen installed as a user installs it, from a wheel, not from this checkout: the wheel must
carry the templates and the runtime modules the build copies, and build the same package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "specs" / "sources" / "deepseek.openapi.md"


def _setuptools_config() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools: dict[str, object] = config["tool"]["setuptools"]
    return setuptools


def test_pyproject_names_every_package_folder_and_maps_the_templates_into_the_package() -> None:
    """The package list is written out (a mapped package cannot be found): a new subpackage left
    off it would be missing from every installed specgen, so the list must match the folders."""
    setuptools = _setuptools_config()
    folders = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "codegen").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    templates = {
        "codegen.templates"
        + "".join(f".{part}" for part in path.parent.relative_to(ROOT).parts[1:])
        for path in _template_files()
    }
    assert sorted(setuptools["packages"]) == sorted(folders | templates)  # type: ignore[call-overload]
    assert setuptools["package-dir"] == {"codegen.templates": "templates"}


def _template_files() -> list[Path]:
    """Every file the renderer may read from templates/: not bytecode, and not the ruff.toml that
    keeps the runtime files at 88 columns in this repository."""
    return [
        path
        for path in (ROOT / "templates").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.name != "ruff.toml"
    ]


def _build_wheel(tmp_path: Path) -> Path:
    """The wheel pip builds from a copy of the project's own files (a build writes into its
    source folder, and the suite's processes share this tree)."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("codegen", "templates"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    completed = subprocess.run(
        [
            *pip,
            "--no-index",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(wheels),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    (wheel,) = wheels.glob("specgen-*.whl")
    return wheel


def test_a_wheel_carries_the_templates_and_builds_the_same_package_as_the_checkout(
    tmp_path: Path,
) -> None:
    wheel = _build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        site = tmp_path / "site"
        archive.extractall(site)
    shipped = {
        "codegen/templates/" + path.relative_to(ROOT / "templates").as_posix()
        for path in _template_files()
    }
    assert shipped <= names, sorted(shipped - names)
    assert "codegen/render/static/_models.py" in names
    assert not any(name.startswith("templates/") for name in names), "no top-level templates/"

    # The installed copy, run from a folder with no checkout in sight: its own templates are used.
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "SPECGEN_CACHE_DIR": str(tmp_path / "cache")}
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import codegen; print(codegen.__file__, codegen.BUILTIN_TEMPLATES)",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert where == [str(site / "codegen" / "__init__.py"), str(site / "codegen" / "templates")]

    def build(out: str, extra_env: dict[str, str]) -> Path:
        command = [sys.executable, "-c", "from codegen.cli import run; run()", "build", str(SEED)]
        completed = subprocess.run(
            [*command, "--out", out, "--package", "seed", "--no-cache"],
            cwd=work,
            env=extra_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert completed.returncode == 0, completed.stderr
        return work / out

    from_wheel = build("from_wheel", env)
    checkout_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SPECGEN_CACHE_DIR": env["SPECGEN_CACHE_DIR"],
    }
    from_checkout = build("from_checkout", checkout_env)

    def files(root: Path) -> dict[str, bytes]:
        return {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts
        }

    wheel_files, checkout_files = files(from_wheel), files(from_checkout)
    assert "seed/_base_client.py" in wheel_files, sorted(wheel_files)
    assert wheel_files == checkout_files
