"""Measure the two ways of producing the models: specgen's templates vs datamodel-code-generator.

Run: ``python -m tests.render.measure_models`` from the repository root. Prints generation times
(median of several runs, in-process and warm, plus one cold start each) and output figures for
the sample API, the numbers behind choosing specgen's templates as the producer and
datamodel-code-generator as the oracle.
"""

from __future__ import annotations

import ast
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from codegen.render import render_package
from codegen.render.environment import make_environment
from codegen.render.formatting import format_python
from codegen.render.package import PackageRenderer

from .dcg_models import generate_dcg_models
from .sample_api import SAMPLE_API

REPO = Path(__file__).resolve().parents[2]
RUNS = 5


def median_seconds(action: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def specgen_models() -> str:
    renderer = PackageRenderer(SAMPLE_API, "chat_api", make_environment())
    return format_python(renderer.types_module(), "types.py")


def cold(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, capture_output=True)
    return time.perf_counter() - start


def figures(source: str) -> dict[str, object]:
    tree = ast.parse(source)
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    field_docs = 0
    fields = 0
    for cls in classes:
        for before, node in zip(cls.body, cls.body[1:], strict=False):
            if isinstance(before, ast.AnnAssign) and isinstance(node, ast.Expr):
                field_docs += isinstance(node.value, ast.Constant)
        fields += sum(isinstance(node, ast.AnnAssign) for node in cls.body)
    return {
        "lines": source.count("\n"),
        "classes": len(classes),
        "root-model wrappers": source.count("(RootModel["),
        "fields": fields,
        "fields with a docstring": field_docs,
        "vendor notes": source.count("support this field") + source.count("supports this field"),
        "open enums documented": source.count("Known values:"),
        "bare Any": len(re.findall(r"\bAny\b", source)),
    }


def check(tool: list[str], path: Path) -> int:
    result = subprocess.run(
        [sys.executable, "-m", *tool, str(path)], capture_output=True, text=True, cwd=path.parent
    )
    return len(re.findall(r"error|^[A-Z]+\d+ ", result.stdout, re.M)) if result.returncode else 0


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="measure-"))
    ours = specgen_models()
    package = folder / "pkg"
    package.mkdir()
    files = render_package(SAMPLE_API, package="pkg", report_text="", report_json="{}")
    for path, text in files.items():
        (package / path).parent.mkdir(parents=True, exist_ok=True)
        (package / path).write_text(text)
    theirs_path = generate_dcg_models(SAMPLE_API, folder / "dcg_models.py")

    rows = {
        "specgen: models module (views, templates, ruff format)": median_seconds(specgen_models),
        "specgen: whole package": median_seconds(
            lambda: render_package(SAMPLE_API, package="p", report_text="", report_json="{}")
        ),
    }
    for formatters in (("builtin",), ("ruff-check", "ruff-format"), ("black", "isort")):
        label = f"datamodel-code-generator, formatters {'+'.join(formatters)}"
        rows[label] = median_seconds(
            lambda f=formatters: generate_dcg_models(SAMPLE_API, folder / "x.py", formatters=f)
        )
    rows["cold start: specgen models (import + render)"] = cold(
        "from tests.render.measure_models import specgen_models; specgen_models()"
    )
    rows["cold start: datamodel-code-generator (import + generate)"] = cold(
        "from pathlib import Path; import tempfile;"
        "from tests.render.dcg_models import generate_dcg_models;"
        "from tests.render.sample_api import SAMPLE_API;"
        "generate_dcg_models(SAMPLE_API, Path(tempfile.mkdtemp()) / 'm.py')"
    )
    print("## time (seconds, median of", RUNS, "warm runs unless cold)")
    for label, seconds in rows.items():
        print(f"{seconds:8.3f}  {label}")

    theirs = theirs_path.read_text()
    print("\n## output of the sample API (models only)")
    for label, source in (("specgen", ours), ("datamodel-code-generator", theirs)):
        print(f"{label}: {figures(source)}")
    print(
        "mypy --strict errors: specgen package",
        check(["mypy", "--strict", "--no-incremental"], package),
        "| datamodel-code-generator module",
        check(["mypy", "--strict", "--no-incremental"], theirs_path),
    )
    config = ["ruff", "check", "--config", str(REPO / "pyproject.toml")]
    print(
        "ruff check findings: specgen",
        check(config, package),
        "| datamodel-code-generator",
        check(config, theirs_path),
    )


if __name__ == "__main__":
    main()
