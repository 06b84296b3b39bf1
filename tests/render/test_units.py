"""Unit tests of the renderer's parts: names, docstrings, imports, hints, views, IR checks."""

from __future__ import annotations

import ast
from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from codegen.errors import SpecgenError
from codegen.ir.model import (
    Alias,
    ArrayType,
    Constraints,
    Field,
    InBodyError,
    Model,
    ModelRef,
    Operation,
    ScalarType,
    UnionType,
    VendorProfile,
)
from codegen.render import analysis
from codegen.render.client import ClientRenderer, base_url, error_class_names
from codegen.render.docs import clean_text, docstring
from codegen.render.imports import Imports, export_order
from codegen.render.jsonschema import api_json_schema
from codegen.render.models import ModelRenderer, class_names
from codegen.render.names import class_name, field_name, snake_case
from tests._packages import ruff_problems

from .sample_api import SAMPLE_API

STRING = ScalarType("string")


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("model", "model"),
        ("class", "class_"),
        ("schema", "schema_"),
        ("model_config", "model_config_"),
        ("x-request-id", "x_request_id"),
        ("_private", "private"),
        ("2fa", "field_2fa"),
    ],
)
def test_field_names(wire: str, python: str) -> None:
    """Wire names are kept unless they are keywords, not identifiers, or BaseModel attributes."""
    assert field_name(wire) == python


def test_field_name_avoids_names_already_taken() -> None:
    assert field_name("_id", reserved={"id"}) == "id_"


def test_class_and_snake_names() -> None:
    assert class_name("insufficient balance") == "InsufficientBalance"
    assert class_name("ChatCompletion") == "ChatCompletion"
    assert class_name("server_busy") == "ServerBusy"
    assert snake_case("createChatCompletion") == "create_chat_completion"
    assert snake_case("list-Models") == "list_models"


def test_clean_text_removes_markup_noise() -> None:
    """HTML breaks and tags, entities, runs of spaces and blank lines are normalised."""
    text = "A <b>bold</b>   claim.<br>Next line &amp; <code>x</code>\n\n\n\nEnd.  "
    assert clean_text(text) == "A bold claim.\nNext line & `x`\n\nEnd."
    assert clean_text("  <br/> ") is None
    assert clean_text(None) is None


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_docstring_is_valid_python_keeping_the_words(text: str) -> None:
    """Any cleaned text becomes a literal whose words are the text's words (quotes escaped)."""
    cleaned = clean_text(text)
    if cleaned is None:
        return
    for indent in (0, 8):
        literal = docstring(cleaned, indent)
        value = ast.literal_eval(literal)
        assert value.split() == cleaned.split()
        longest = max(len(line) + indent for line in literal.splitlines())
        assert longest <= 100 or any(len(w) > 60 for w in cleaned.split())


def test_docstring_escapes_quotes_and_backslashes() -> None:
    literal = docstring('ends with a "quote"', 4)
    assert ast.literal_eval(literal) == 'ends with a "quote"'
    assert ast.literal_eval(docstring('has """ and C:\\path')) == 'has """ and C:\\path'


def test_numbered_modules_are_imported_in_natural_order_as_ruff_wants(tmp_path: Path) -> None:
    """Resource modules named by number (``/trees/{n}`` paths): ``._2`` before ``._10``, and
    ruff's isort, run on the block, agrees."""
    imports = Imports()
    for number in (10, 2, 100, 1, 11):
        imports.add(f".resources._{number}", f"T{number}")
    imports.add(".resources.Beta", "B")
    imports.add(".resources.alpha", "A")
    block = imports.lines()
    assert [line.split()[1] for line in block.splitlines()] == [
        ".resources._1", ".resources._2", ".resources._10", ".resources._11", ".resources._100",
        ".resources.alpha", ".resources.Beta",
    ]  # fmt: skip
    module = tmp_path / "pkg" / "mod.py"
    module.parent.mkdir()
    (module.parent / "__init__.py").write_text("", encoding="utf-8")
    exported = ", ".join(
        f'"{name}"' for name in export_order(["A", "B", "T1", "T2", "T10", "T11", "T100"])
    )
    module.write_text(f"{block}\n\n__all__ = [{exported}]\n", encoding="utf-8")
    assert ruff_problems([module]) == []


def test_imports_are_ordered_as_ruff_wants() -> None:
    """future, stdlib, third party, relative; plain imports first; CONSTANTS, Classes, funcs."""
    imports = Imports()
    imports.add("._types", "is_given", "NotGiven", "NOT_GIVEN")
    imports.add("pydantic", "Field")
    imports.add("httpx")
    imports.add("typing", "Literal")
    imports.add("__future__", "annotations")
    imports.add("..types", "Model")
    assert imports.lines() == (
        "from __future__ import annotations\n\n"
        "from typing import Literal\n\n"
        "import httpx\nfrom pydantic import Field\n\n"
        "from ..types import Model\nfrom ._types import NOT_GIVEN, NotGiven, is_given"
    )
    assert export_order(["b", "Client", "VENDORS", "APIError"]) == [
        "VENDORS",
        "APIError",
        "Client",
        "b",
    ]


def _field_view(item: Field, direction: str = "request") -> tuple[str, str | None]:
    model = Model("T", (item,), "request" if direction == "request" else "response")
    api = msgspec.structs.replace(SAMPLE_API, models=(*SAMPLE_API.models, model))
    renderer = ModelRenderer(api, class_names(api))
    view = renderer.model(api.model("T")).fields[0]
    return view.annotation, view.default


@pytest.mark.parametrize(
    ("required", "nullable", "annotation", "default"),
    [
        (True, False, "str", None),
        (True, True, "str | None", None),
        (False, True, "str | None", "None"),
        (False, False, "Omittable[str]", "None"),
    ],
)
def test_required_and_nullable_are_two_axes(
    required: bool, nullable: bool, annotation: str, default: str | None
) -> None:
    """Each of the four combinations has its own annotation and default."""
    assert _field_view(Field("x", STRING, required, nullable)) == (annotation, default)


def test_nested_bounds_go_inline_and_items_may_be_nullable() -> None:
    """Bounds of array items cannot be Field() arguments of the field: they go in Annotated."""
    node = ArrayType(ScalarType("integer", Constraints(minimum=0, maximum=9)), items_nullable=True)
    annotation, _ = _field_view(Field("x", node, True, False))
    assert annotation == "list[Annotated[int, Field(ge=0, le=9)] | None]"


def test_discriminator_that_cannot_be_honoured_falls_back_to_a_plain_union() -> None:
    """A variant without the tag property: a plain union in Python and anyOf in the schema."""
    union = UnionType((ModelRef("ImageUrl"), ModelRef("TextPart")), discriminator="type")
    assert analysis.discriminator_mapping(SAMPLE_API, union) is None
    api = msgspec.structs.replace(SAMPLE_API, aliases=(*SAMPLE_API.aliases, Alias("Loose", union)))
    assert "anyOf" in api_json_schema(api)["$defs"]["Loose"]
    view = ModelRenderer(api, class_names(api)).alias(api.aliases[-1])
    assert view.annotation == "ImageUrl | TextPart"


def test_alias_cycle_is_an_error() -> None:
    api = msgspec.structs.replace(
        SAMPLE_API, aliases=(Alias("A", ModelRef("B")), Alias("B", ArrayType(ModelRef("A"))))
    )
    with pytest.raises(SpecgenError, match="cycle"):
        analysis.ordered_aliases(api)


def test_undefined_reference_is_an_error() -> None:
    api = msgspec.structs.replace(
        SAMPLE_API, aliases=(*SAMPLE_API.aliases, Alias("A", ModelRef("Missing")))
    )
    with pytest.raises(SpecgenError, match="undefined type 'Missing'"):
        api_json_schema(api)


def test_model_named_like_a_runtime_class_is_renamed() -> None:
    """A vendor object called `Stream` must not hide the runtime's Stream at the package root."""
    api = msgspec.structs.replace(SAMPLE_API, models=(Model("Stream", (), "response"),))
    assert class_names(api, frozenset({"Stream"}))["Stream"] == "StreamModel"


def test_in_body_errors_sharing_a_name_with_different_codes_get_vendor_prefixes() -> None:
    vendors = (
        msgspec.structs.replace(SAMPLE_API.vendors[0], in_body_errors=(InBodyError(1, "busy"),)),
        msgspec.structs.replace(SAMPLE_API.vendors[1], in_body_errors=(InBodyError(2, "busy"),)),
        msgspec.structs.replace(SAMPLE_API.vendors[2], in_body_errors=(InBodyError(1, "busy"),)),
    )
    names = error_class_names(msgspec.structs.replace(SAMPLE_API, vendors=vendors), set())
    assert names == {
        ("acme", 1): "AcmeBusyError",
        ("bolt", 2): "BoltBusyError",
        ("localai", 1): "LocalaiBusyError",
    }


def test_base_url_joins_the_prefix_once() -> None:
    vendor = SAMPLE_API.vendors[0]
    assert base_url(vendor) == "https://api.acme.test/v1"
    already = msgspec.structs.replace(vendor, base_url="https://api.acme.test/v1/")
    assert base_url(already) == "https://api.acme.test/v1"


def test_api_key_auth_must_name_its_header() -> None:
    vendor = VendorProfile("k", "https://k.test", "", "api-key", None, "K_KEY", ())
    renderer = ClientRenderer(msgspec.structs.replace(SAMPLE_API, vendors=(vendor,)), {})
    with pytest.raises(SpecgenError, match="does not name it"):
        renderer.vendors({})


def test_an_operation_on_the_bare_root_lives_in_the_root_resource() -> None:
    """`GET /{id}` has no static segment to name a resource: `client.root.retrieve(id)`."""
    operation = Operation("root", "get", "/{id}", None, None, None, False, None, None)
    api = msgspec.structs.replace(SAMPLE_API, operations=(operation,))
    (module,) = ClientRenderer(api, class_names(api)).resource_modules()
    assert (module.module, module.root.attribute) == ("root", "root")
    (method,) = module.root.methods
    assert method.name == "retrieve"
    assert [p.name for p in method.path_params] == ["id"]
    assert module.root.doc == "Operations under `/`."


def test_path_parameters_become_positional_arguments() -> None:
    """GET /models/{model} is `retrieve(model)`, the segment quoted into the path."""
    operation = Operation(
        "getModel",
        "get",
        "/models/{model}",
        "Get a model",
        None,
        None,
        False,
        ModelRef("ModelInfo"),
        None,
    )
    api = msgspec.structs.replace(SAMPLE_API, operations=(operation,))
    module = ClientRenderer(api, class_names(api)).resource_modules()[0]
    method = module.root.methods[0]
    assert method.name == "retrieve"
    assert [p.name for p in method.path_params] == ["model"]
    assert method.path == "f\"/models/{quote(model, safe='')}\""


def test_vendor_required_field_takes_the_documented_default() -> None:
    """localai requires `stream`: sent as its default (false) when the caller leaves it out."""
    views = ClientRenderer(SAMPLE_API, class_names(SAMPLE_API)).vendors(
        error_class_names(SAMPLE_API, set())
    )
    assert {view.constant: view.required_fields for view in views}["LOCALAI"] == (
        ('"stream"', "False"),
    )
