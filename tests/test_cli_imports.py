"""The CLI imports the pipeline only inside the commands that run it, so `specgen --help` and a
rebuild that the build cache answers stay a fraction of a second."""

from __future__ import annotations

import subprocess
import sys

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
