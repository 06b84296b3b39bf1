"""The CLI imports the pipeline only inside the commands that run it, so `specgen --help` and a
rebuild that the build cache answers stay a fraction of a second."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("jinja2", "pydantic", "openapi_spec_validator", "codegen.ir", "codegen.render")


def test_importing_the_cli_loads_none_of_the_pipeline() -> None:
    code = (
        "import sys, codegen.cli; "
        f"print(','.join(name for name in {HEAVY!r} if name in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"imported eagerly: {done.stdout.strip()}"


def test_the_heavy_modules_are_really_what_a_build_loads() -> None:
    """The check above could pass by naming modules nothing imports; a build imports them all."""
    code = (
        "import sys, codegen.build; from codegen.ingest import validate; "
        "import openapi_spec_validator; "
        f"print(','.join(name for name in {HEAVY!r} if name not in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_a_first_build_does_not_load_the_diff_package(tmp_path: Path) -> None:
    """`specgen diff`'s modules are needed only when an earlier package is compared."""
    corpus = Path(__file__).resolve().parent / "corpus" / "ollama_openapi.yaml"
    code = (
        "import sys; import codegen.cli as c; "
        f"sys.argv = ['specgen', 'build', '--no-cache', {str(corpus)!r}, '--out', 'o', "
        "'--package', 'p']\n"
        "try:\n    c.main()\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
        "print(sorted(m for m in sys.modules if m.startswith('codegen.diff')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert (tmp_path / "o" / "p" / "_client.py").is_file()
    assert done.stdout.strip().splitlines()[-1] == "[]"
