"""A temporary repository that uses specgen as a vendoring tool, and ways to run specgen in it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
"""This repository (specgen's), found from this file, not from the working directory."""

PACKAGE = "vendor_api"
OUT = Path("src/vendor")
"""The consumer's output folder, relative to its root."""

PYPROJECT = f"""\
[project]
name = "consumer"
version = "0.0.0"

[tool.specgen]
package = "{PACKAGE}"
out = "{OUT.as_posix()}"
sources = ["apis/*.yaml"]
"""

DOCUMENT = """\
openapi: 3.1.0
info:
  title: Acme Chat
  version: "1.0"
servers:
  - url: https://api.acme.example
paths:
  /v1/chat/completions:
    post:
      operationId: createChatCompletion
      summary: Create a chat completion.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [model]
              properties:
                model:
                  type: string
                  description: The model to use.
                temperature:
                  type: number
                  description: Sampling temperature.
      responses:
        "200":
          description: The completion.
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties:
                  id:
                    type: string
                  text:
                    type: string
"""
"""The vendor's OpenAPI 3.1 document: one operation, a JSON request body and a JSON reply."""

TOP_P = """\
                top_p:
                  type: number
                  description: Nucleus sampling mass.
"""


def with_top_p(document: str) -> str:
    """The document with an optional request field ``top_p`` added after ``temperature``."""
    anchor = "                  description: Sampling temperature.\n"
    assert anchor in document
    return document.replace(anchor, anchor + TOP_P, 1)


def make_consumer(root: Path) -> Path:
    """A git repository at ``root`` with ``[tool.specgen]`` config and one vendor document."""
    (root / "apis").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "apis" / "acme.yaml").write_text(DOCUMENT, encoding="utf-8")
    git(root, "init", "-q")
    return root


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git in ``cwd`` with a fixed identity and no signing or hooks of the machine's config."""
    command = [
        "git",
        "-c",
        "user.name=Consumer Test",
        "-c",
        "user.email=consumer@example.com",
        "-c",
        "commit.gpgsign=false",
        "-c",
        "core.hooksPath=/dev/null",
        *args,
    ]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True)


def environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a specgen subprocess: this checkout importable, no test hook set."""
    env = {key: value for key, value in os.environ.items() if key != "SPECGEN_TEST_KILL_AT"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


def specgen(
    cwd: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``specgen ARGS`` as a user would, in its own process, from ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "codegen.cli", *args],
        cwd=cwd,
        env=environment(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def specgen_on_path(folder: Path) -> Path:
    """A folder holding an executable ``specgen`` that runs this checkout's specgen with this
    interpreter (what ``pip install`` would put on PATH), for tools that look it up by name."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "specgen"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m codegen.cli "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (bytecode caches left out) -> its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.relative_to(folder).parts
    }
