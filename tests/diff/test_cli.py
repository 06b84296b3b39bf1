"""`specgen diff` as a user runs it: sides as files, folders, globs and packages; formats; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from codegen.cli import main

from .helpers import REQUEST, document, edited, write

ADDED_OPTIONAL = document(request=edited(REQUEST, "properties/seed", {"type": "integer"}))
"""Against ``document()``: one non-breaking change."""
REMOVED_FIELD = document(request=edited(REQUEST, "properties/effort", "-"))
"""Against ``document()``: one breaking change."""
MOVED = document(
    request=edited(REQUEST, "properties/effort", "-"), server="https://api.example.com/v2"
)
"""Against ``document()``: a breaking change of the operation and one of the vendor."""


def _diff(*args: str) -> Result:
    return CliRunner().invoke(main, ["diff", *args])


def _pair(tmp_path: Path, old: str, new: str) -> tuple[str, str]:
    return (
        str(write(tmp_path / "old", "vendora.yaml", old)),
        str(write(tmp_path / "new", "vendora.yaml", new)),
    )


def test_identical_inputs_exit_0_with_no_changes(tmp_path: Path) -> None:
    """No change: exit 0 and the summary says so, with the configured reference on both sides."""
    result = _diff(*_pair(tmp_path, document(), document()))
    assert (result.exit_code, result.stdout) == (0, "no API changes\n"), result.stderr


def test_fail_on_breaking_exits_0_on_compatible_changes_and_1_on_breaking(tmp_path: Path) -> None:
    """The default --fail-on breaking: compatible changes pass, a breaking one fails."""
    compatible = _diff(*_pair(tmp_path / "a", document(), ADDED_OPTIONAL), "--no-reference")
    assert compatible.exit_code == 0, compatible.stderr
    assert "ok       request.seed: optional request field added" in compatible.stdout
    assert compatible.stdout.endswith("\n1 API change, 0 breaking\n")
    breaking = _diff(*_pair(tmp_path / "b", document(), REMOVED_FIELD), "--no-reference")
    assert breaking.exit_code == 1
    assert "BREAKING request.effort: request field removed" in breaking.stdout


def test_fail_on_any_exits_1_on_a_compatible_change(tmp_path: Path) -> None:
    """--fail-on any fails on any change, and still passes on none."""
    old, new = _pair(tmp_path, document(), ADDED_OPTIONAL)
    assert _diff(old, new, "--fail-on", "any", "--no-reference").exit_code == 1
    assert _diff(old, old, "--fail-on", "any", "--no-reference").exit_code == 0


def test_text_output_groups_by_operation_and_vendor(tmp_path: Path) -> None:
    """Each group has a heading line; changes follow indented, one a line; the summary ends it."""
    result = _diff(*_pair(tmp_path, document(), MOVED), "--no-reference")
    assert result.stdout.splitlines() == [
        "POST /v1/chat/completions",
        "  BREAKING request.effort: request field removed, string, optional → —"
        " (request models refuse unknown keys: calls sending it fail)",
        "vendor vendora",
        "  BREAKING base_url: base URL changed, https://api.example.com → "
        "https://api.example.com/v2 (an old client calls the old address)",
        "2 API changes, 2 breaking",
    ]


def test_json_output_is_a_sorted_list_with_stable_keys(tmp_path: Path) -> None:
    """JSON loads, every object has the same keys, and two runs give the same bytes."""
    old, new = _pair(tmp_path, document(), MOVED)
    first = _diff(old, new, "--format", "json", "--no-reference")
    again = _diff(old, new, "--format", "json", "--no-reference")
    assert first.stdout == again.stdout
    changes = json.loads(first.stdout)
    assert [list(change) for change in changes] == [
        ["breaking", "kind", "operation", "vendor", "place", "what", "before", "after", "reason"]
    ] * 2
    assert changes[0] == {
        "breaking": True,
        "kind": "request-field-removed",
        "operation": "POST /v1/chat/completions",
        "vendor": None,
        "place": "request.effort",
        "what": "request field removed",
        "before": "string, optional",
        "after": None,
        "reason": "request models refuse unknown keys: calls sending it fail",
    }


def test_markdown_output_has_a_table_per_group(tmp_path: Path) -> None:
    """Markdown: a heading and a table per group, a row per change, the summary in bold."""
    result = _diff(*_pair(tmp_path, document(), MOVED), "--format", "markdown", "--no-reference")
    lines = result.stdout.splitlines()
    assert "### POST /v1/chat/completions" in lines
    assert "### vendor vendora" in lines
    assert lines.count("| --- | --- | --- | --- | --- | --- | --- |") == 2
    assert any(line.startswith("| **breaking** | `request.effort` |") for line in lines)
    assert lines[-1] == "**2 API changes, 2 breaking**"


def test_unreadable_file_gives_one_error_line_and_exit_2(tmp_path: Path) -> None:
    """A YAML syntax error: one ``error: file:line: message`` line on stderr, nothing on stdout."""
    bad = write(tmp_path, "vendora.yaml", "openapi: 3.1.0\ninfo: [\n")
    good = write(tmp_path / "new", "vendora.yaml", document())
    result = _diff(str(bad), str(good))
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {bad}:3: ")
    assert "Traceback" not in result.output


def test_missing_file_and_empty_glob_exit_2(tmp_path: Path) -> None:
    """A file that is not there and a pattern matching nothing are one error line each."""
    result = _diff(str(tmp_path / "absent.yaml"), str(tmp_path / "*.nothing"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {tmp_path / 'absent.yaml'}: no such file",
        f"error: {tmp_path / '*.nothing'}: no document matches this pattern",
    ]


def test_sides_may_be_folders_and_glob_patterns(tmp_path: Path) -> None:
    """A folder means every file in it, a quoted glob its sorted matches: two vendors each side."""
    for side, second in (("old", document()), ("new", REMOVED_FIELD)):
        write(tmp_path / side, "vendora.yaml", document(server="https://a.test"))
        write(tmp_path / side, "vendorb.yaml", second.replace("api.example.com", "b.test"))
    by_folder = _diff(str(tmp_path / "old"), str(tmp_path / "new"), "--no-reference")
    by_glob = _diff(
        str(tmp_path / "old" / "*.yaml"), str(tmp_path / "new" / "vendor*"), "--no-reference"
    )
    assert by_folder.stdout == by_glob.stdout
    assert "vendor vendorb" in by_folder.stdout
    assert by_folder.exit_code == by_glob.exit_code == 1


def test_reference_and_no_reference_exclude_each_other(tmp_path: Path) -> None:
    """Asking for both is a usage error (exit 2), not a silent choice."""
    old, new = _pair(tmp_path, document(), document())
    result = _diff(old, new, "--reference", old, "--no-reference")
    assert result.exit_code == 2
    assert "exclude each other" in result.stderr
