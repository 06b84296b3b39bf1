"""render_build formats the package in parts (the models, the server's modules, the client's)
while the next part renders: the same files as one ruff run over everything, the same file named
when ruff cannot format one, and nothing left behind when rendering fails meanwhile."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from codegen.errors import SpecgenError
from codegen.render.environment import make_environment
from codegen.render.formatting import format_all
from codegen.render.package import PackageRenderer, render_build
from codegen.render.server import server_files

from .conftest import PACKAGE, REPORT_JSON, REPORT_TEXT
from .sample_api import SAMPLE_API

STARTER = "server_impl.py"


pytestmark = pytest.mark.usefixtures("temporary_folder_of_its_own")


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("specgen-format-*")}


def _build(template_dir: Path | None = None) -> dict[str, str]:
    rendered = render_build(
        SAMPLE_API,
        package=PACKAGE,
        report_text=REPORT_TEXT,
        report_json=REPORT_JSON,
        template_dir=template_dir,
        starter_module=STARTER,
    )
    assert rendered.starter is not None
    return {**rendered.files, STARTER: rendered.starter}


def test_the_parts_are_the_files_of_one_run_over_all_of_them() -> None:
    renderer = PackageRenderer(SAMPLE_API, PACKAGE, make_environment())
    sources = {"types.py": renderer.types_module(), **renderer.python_files_but_types()}
    assert "server.py" in sources
    one_run = format_all(sources)
    built = _build()
    assert {path: built[path] for path in one_run} == one_run


def test_the_parts_hold_every_module_once() -> None:
    renderer = PackageRenderer(SAMPLE_API, PACKAGE, make_environment())
    modules = renderer.module_views()
    client_files = renderer.client_files(modules)
    server = server_files(renderer, renderer.server)
    assert set(server) == {"server.py"}
    assert not set(server) & set(client_files)
    assert {"_errors.py", "_vendors.py", "_client.py", "__init__.py"} <= set(client_files)


@pytest.mark.parametrize(
    ("template", "named"),
    [("resource.py.jinja", "resources/chat.py"), ("server.py.jinja", "server.py")],
)
def test_a_module_ruff_cannot_format_is_named_in_either_part(
    tmp_path: Path, template: str, named: str
) -> None:
    before = _leftovers()
    (tmp_path / template).write_text("def broken(:\n", encoding="utf-8")
    with pytest.raises(SpecgenError) as raised:
        _build(tmp_path)
    assert raised.value.file == named
    assert _leftovers() == before


def test_the_client_s_module_is_named_first_as_one_run_would(tmp_path: Path) -> None:
    """Both parts broken: one run over all would name the client's module first."""
    for template in ("resource.py.jinja", "server.py.jinja"):
        (tmp_path / template).write_text("def broken(:\n", encoding="utf-8")
    with pytest.raises(SpecgenError) as raised:
        _build(tmp_path)
    assert raised.value.file == "resources/chat.py"


def test_a_rendering_failure_while_ruff_runs_leaves_nothing_behind(tmp_path: Path) -> None:
    before = _leftovers()
    (tmp_path / "client.py.jinja").write_text("{{ no_such_name }}\n", encoding="utf-8")
    with pytest.raises(Exception, match="no_such_name"):
        _build(tmp_path)
    assert _leftovers() == before


def test_extra_files_made_while_ruff_runs_join_the_package() -> None:
    """A function's files are made while ruff formats the client's modules, and join as given."""
    made: list[bool] = []

    def extra() -> dict[str, str]:
        made.append(True)
        return {"notes.md": "made late\n"}

    rendered = render_build(
        SAMPLE_API,
        package=PACKAGE,
        report_text=REPORT_TEXT,
        report_json=REPORT_JSON,
        extra_files=extra,
    )
    assert made == [True]
    assert rendered.files["notes.md"].endswith("made late\n")
    assert rendered.files == {
        **render_build(
            SAMPLE_API,
            package=PACKAGE,
            report_text=REPORT_TEXT,
            report_json=REPORT_JSON,
            extra_files={"notes.md": "made late\n"},
        ).files
    }


def test_extra_files_that_fail_while_ruff_runs_leave_nothing_behind() -> None:
    before = _leftovers()

    def extra() -> dict[str, str]:
        raise SpecgenError("the package on disk cannot be read", file="old/openapi.yaml")

    with pytest.raises(SpecgenError, match="cannot be read"):
        render_build(
            SAMPLE_API,
            package=PACKAGE,
            report_text=REPORT_TEXT,
            report_json=REPORT_JSON,
            extra_files=extra,
        )
    assert _leftovers() == before
