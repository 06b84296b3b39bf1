"""Template tests on a tiny IR: exact output of a model, overrides through the one loader."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from codegen.ir.model import API, Constraints, EnumValue, Field, Model, ScalarType, VendorProfile
from codegen.render import render_package
from codegen.render.environment import BUILTIN_TEMPLATES, make_environment

VENDORS = (
    VendorProfile("a", "https://a.test", "", "none", None, None, ()),
    VendorProfile("b", "https://b.test", "", "none", None, None, ()),
)
TINY = API(
    title="Tiny",
    version="1",
    models=(
        Model(
            "Greeting",
            (
                Field("text", ScalarType("string"), True, False, description="What to say."),
                Field("count", ScalarType("integer", Constraints(minimum=1)), False, False),
                Field("note", ScalarType("string"), False, True, vendors=("a",)),
                Field(
                    "class",
                    ScalarType("string", enum=(EnumValue("x"), EnumValue("y")), enum_open=True),
                    True,
                    True,
                ),
            ),
            "request",
            "A greeting.",
        ),
    ),
    aliases=(),
    operations=(),
    vendors=VENDORS,
)

GOLDEN_GREETING = '''class Greeting(RequestModel):
    """A greeting."""

    text: str
    """What to say."""

    count: Omittable[int] = Field(default=None, ge=1)

    note: str | None = None
    """Only a supports this field."""

    class_: Literal["x", "y"] | str | None = Field(
        validation_alias="class", serialization_alias="class"
    )
    """Known values: `x`, `y`; other values may appear."""
'''


def render_tiny(template_dir: Path | None = None) -> dict[str, str]:
    return render_package(
        TINY, package="tiny", report_text="", report_json="{}", template_dir=template_dir
    )


def test_model_class_golden() -> None:
    """The four field shapes, a bound, an alias for a keyword and an open enum, exactly."""
    types = render_tiny()["types.py"]
    assert types.endswith(GOLDEN_GREETING)
    assert "from ._models import Omittable, RequestModel\n" in types
    assert "from typing import Literal\n" in types


def test_user_macro_file_overrides_the_builtin_inside_includes(tmp_path: Path) -> None:
    """A user's field.jinja replaces the built-in one even where model.jinja imports it."""
    (tmp_path / "field.jinja").write_text(
        "{% macro render_field(field) %}\n"
        "    {{ field.name }}: {{ field.annotation }}  # custom\n"
        "{% endmacro %}\n"
    )
    types = render_tiny(tmp_path)["types.py"]
    assert "    text: str  # custom\n" in types
    assert '"""What to say."""' not in types


def test_user_template_with_an_undefined_name_fails_loudly(tmp_path: Path) -> None:
    """StrictUndefined: a typo in a template is an error, not an empty string."""
    (tmp_path / "alias.jinja").write_text(
        "{% macro render_alias(alias) %}{{ alias.nmae }}{% endmacro %}\n"
    )
    (tmp_path / "types.py.jinja").write_text("{{ header }}\n{{ no_such_variable }}\n")
    with pytest.raises(jinja2.UndefinedError, match="no_such_variable"):
        render_tiny(tmp_path)


def test_environment_settings() -> None:
    """One environment shape: strict, trimmed blocks, trailing newline kept, user folder first."""
    environment = make_environment(Path("/nonexistent"))
    assert environment.undefined is jinja2.StrictUndefined
    assert environment.trim_blocks and environment.lstrip_blocks
    assert environment.keep_trailing_newline
    loader = environment.loader
    assert isinstance(loader, jinja2.ChoiceLoader)
    searchpaths = [sub.searchpath for sub in loader.loaders]  # type: ignore[attr-defined]
    assert searchpaths == [["/nonexistent"], [str(BUILTIN_TEMPLATES)]]


@pytest.mark.parametrize("template", sorted(p.name for p in BUILTIN_TEMPLATES.glob("*.jinja")))
def test_each_template_documents_what_it_receives(template: str) -> None:
    """Every built-in template opens with a comment saying what it receives."""
    text = (BUILTIN_TEMPLATES / template).read_text()
    assert text.startswith("{#-")
    assert "Receives" in text.split("#}", 1)[0]


def test_an_api_without_operations_still_renders_a_client() -> None:
    """No operations: the client has no resources but the package is complete."""
    files = render_tiny()
    assert "class Client(SyncAPIClient):" in files["_client.py"]
    assert files["resources/__init__.py"].rstrip().endswith("__all__ = []")
