"""Ingest + normalize time as a document's defects grow, beside the same document without them.

Run `python bench/defect_scaling.py` from the repository root; it writes bench/defect_scaling.md.
Issue 9's linear-cost goal: the time grows with the document's size, not with how many defects it
has. Each document has N properties; the defective one gives every property a validator
rejection (a default written as text, or a misspelt type), which ingest quarantines and
normalize repairs.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from codegen.ingest import ingest_text  # noqa: E402
from codegen.ingest.source import SourceText  # noqa: E402
from codegen.normalize import normalize  # noqa: E402

SIZES = (1000, 4000, 16000)
REPEAT = 3


def document(size: int, defective: bool) -> str:
    properties = {}
    for index in range(size):
        if index % 2:
            default = str(index) if defective else index
            properties[f"p{index}"] = {"type": "integer", "default": default}
        else:
            properties[f"p{index}"] = {"type": "Strng" if defective else "string"}
    schema = {"type": "object", "properties": properties}
    response = {"description": "ok", "content": {"application/json": {"schema": schema}}}
    return json.dumps(
        {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things": {"get": {"responses": {"200": response}}}},
        }
    )


def timed(text: str) -> float:
    runs = []
    for _ in range(REPEAT):
        gc.collect()
        start = time.perf_counter()
        normalize(ingest_text(SourceText.of("bench.json", text)))
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    timed(document(100, True))  # warm-up: imports and the validator's first compile
    lines = [
        "# Defect scaling: ingest + normalize, median of 3 (`python bench/defect_scaling.py`)",
        "",
        "| properties | clean (s) | every property defective (s) | defective ÷ clean |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for size in SIZES:
        clean, defective = timed(document(size, False)), timed(document(size, True))
        lines.append(f"| {size:,} | {clean:.2f} | {defective:.2f} | {defective / clean:.1f}× |")
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "defect_scaling.md").write_text(text)
    print(text, end="")


if __name__ == "__main__":
    main()
