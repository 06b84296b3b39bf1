"""The program's parse-ahead child (codegen.parse_ahead): what the parent takes from it is what
the parent would have parsed, failures are left to the parent, and nothing else ever forks.

Forking happens in fresh interpreters only: a test process has threads (xdist's), and a child
forked from them could stop on a lock another thread held.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codegen import parse_ahead
from codegen.errors import SpecgenError
from codegen.ingest.yaml_lines import parse_with_lines

ROOT = Path(__file__).resolve().parents[2]
DEC_2024 = ROOT / "tests" / "corpus" / "openai_openapi.yaml"  # YAML, read by the OpenAPI reader
FENCED = ROOT / "specs" / "sources" / "deepseek.openapi.md"  # OpenAPI pasted into markdown


def _run(script: str) -> dict[str, object]:
    """Run ``script`` in a fresh interpreter; it prints one JSON object last."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


_SAME_AS_HERE = """
    import json
    from pathlib import Path
    from codegen import parse_ahead
    from codegen.ingest import choose_reader
    from codegen.ingest.source import read_source
    from codegen.ingest import yaml_lines

    paths = [Path(p) for p in {paths}]
    parse_ahead.allow()
    parse_ahead.start(paths)
    served = []
    real_take = parse_ahead.take
    def take(text, first_line):
        found = real_take(text, first_line)
        served.append(found is not None)
        return found
    parse_ahead.take = take
    ahead = []
    for path in paths:
        source = read_source(path)
        ahead.append(choose_reader(source).read(source))
    parse_ahead.take = lambda text, first_line: None  # the same reads, parsed here
    here = []
    for path in paths:
        source = read_source(path)
        here.append(choose_reader(source).read(source))
    print(json.dumps({{
        "served": served,
        "same": [a.document == h.document and a.lines == h.lines and a.notes == h.notes
                 for a, h in zip(ahead, here)],
    }}))
"""


def test_the_parent_takes_the_childs_parse_and_it_is_its_own() -> None:
    result = _run(_SAME_AS_HERE.format(paths=[str(DEC_2024), str(FENCED)]))
    assert result == {"served": [True, True], "same": [True, True]}


def test_a_document_the_child_cannot_parse_is_parsed_and_reported_by_the_parent(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.yaml"
    text = "openapi: 3.0.1\ninfo:\n  title: [unclosed\n"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(SpecgenError) as here:
        parse_with_lines(text, file="broken.yaml")
    result = _run(
        f"""
        import json
        from pathlib import Path
        from codegen import parse_ahead
        from codegen.errors import SpecgenError
        from codegen.ingest.yaml_lines import parse_with_lines

        parse_ahead.allow()
        parse_ahead.start([Path({str(broken)!r})])
        try:
            parse_with_lines(Path({str(broken)!r}).read_text(), file="broken.yaml")
        except SpecgenError as error:
            print(json.dumps({{"error": error.message, "line": error.line}}))
        """
    )
    assert result == {"error": here.value.message, "line": here.value.line}
    assert here.value.line == 3


def test_a_child_that_dies_mid_write_leaves_the_parse_to_the_parent() -> None:
    """A payload cut short is no result: the parent parses the text itself."""
    result = _run(
        f"""
        import json, marshal, os
        from pathlib import Path
        from codegen import parse_ahead
        from codegen.ingest.yaml_lines import parse_with_lines

        text = Path({str(DEC_2024)!r}).read_text()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            whole = marshal.dumps([(text, 1, ({{}}, {{}}, (), ()))])
            os.write(write_end, whole[: len(whole) // 2])
            os._exit(0)
        os.close(write_end)
        parse_ahead._child = (pid, read_end)
        parsed = parse_with_lines(text, file="dec.yaml")
        print(json.dumps({{"paths": len(parsed.data["paths"]), "left": parse_ahead._child}}))
        """
    )
    assert result == {"paths": 76, "left": None}


def test_each_parse_is_taken_once() -> None:
    """The parent edits a document in place after reading it; a second read of the same text
    gets a parse of its own, not the first one's data again."""
    result = _run(
        f"""
        import json
        from pathlib import Path
        from codegen import parse_ahead
        from codegen.ingest.yaml_lines import parse_with_lines

        path = Path({str(DEC_2024)!r})
        parse_ahead.allow()
        parse_ahead.start([path])
        first = parse_with_lines(path.read_text(), file="a")
        second = parse_with_lines(path.read_text(), file="a")
        print(json.dumps({{"same": first.data == second.data, "shared": first.data is second.data}}))
        """
    )
    assert result == {"same": True, "shared": False}


def test_nothing_forks_unless_the_program_allowed_it() -> None:
    """A library call (or Click's test runner, in process) never forks."""
    assert not parse_ahead._allowed
    parse_ahead.start([DEC_2024])
    assert parse_ahead._child is None
    assert parse_ahead.take("openapi: 3.1.0\n", 1) is None


def test_the_program_builds_the_same_package_with_the_child(tmp_path: Path) -> None:
    """``specgen build`` (which parses ahead) writes what the in-process build writes."""
    from codegen.build import build_files
    from codegen.config import Config

    out = tmp_path / "out"
    command = [sys.executable, "-m", "codegen.cli", "build", str(DEC_2024), "--out", str(out)]
    done = subprocess.run(
        [*command, "--package", "p", "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    config = Config(out=out, package="p")
    expected = build_files(config, [DEC_2024], root=tmp_path).files
    for name, text in expected.items():
        assert (out / name).read_text(encoding="utf-8") == text, name
