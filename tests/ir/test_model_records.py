"""The IR's records: frozen, compared and hashed by value, and written out in full (by repr and
by msgspec's JSON, which the package header's fingerprint hashes: codegen.render.package)."""

from __future__ import annotations

import msgspec
import pytest

from codegen.ir import model
from codegen.ir.model import API, Constraints, Field, Model, ModelRef, ScalarType, UnionType
from codegen.ir.serialize import from_data, to_data
from codegen.render.package import fingerprint


def test_records_are_frozen() -> None:
    field = Field("a", ModelRef("B"), required=True, nullable=False)
    with pytest.raises(AttributeError):
        field.name = "b"  # type: ignore[misc]
    assert field.name == "a"


def test_equal_records_are_one_key() -> None:
    first = UnionType((ScalarType("string"), ModelRef("B")), discriminator="kind")
    second = UnionType((ScalarType("string"), ModelRef("B")), discriminator="kind")
    other = msgspec.structs.replace(second, discriminator=None)
    assert first == second and hash(first) == hash(second)
    assert first != other
    assert len({first, second, other}) == 2
    assert ModelRef("B") != ScalarType("string")


def test_repr_names_every_field_with_its_value() -> None:
    """Defaults included: two records differing only in a default must not hash alike."""
    field = Field("a", ModelRef("B"), required=True, nullable=False)
    assert repr(field) == (
        "Field(name='a', type=ModelRef(name='B'), required=True, nullable=False, "
        "description=None, default=None, has_default=False, documents=(), vendors=())"
    )
    bounded = ScalarType("integer", Constraints(minimum=1))
    assert repr(bounded).startswith(
        "ScalarType(kind='integer', constraints=Constraints(minimum=1, "
    )
    assert repr(bounded) != repr(ScalarType("integer"))


def test_json_names_every_field_with_its_value() -> None:
    """What the fingerprint hashes: defaults included, so two records differing only in a
    default do not hash alike."""
    field = Field("a", ModelRef("B"), required=True, nullable=False)
    assert msgspec.json.decode(msgspec.json.encode(field)) == {
        "name": "a",
        "type": {"name": "B"},
        "required": True,
        "nullable": False,
        "description": None,
        "default": None,
        "has_default": False,
        "documents": [],
        "vendors": [],
    }


def test_no_two_record_kinds_have_the_same_field_names() -> None:
    """The JSON the fingerprint hashes names no class, so a node's field names tell its kind."""
    records = [
        value
        for value in vars(model).values()
        if isinstance(value, type)
        and issubclass(value, msgspec.Struct)
        and value.__module__ == model.__name__
    ]
    assert len(records) > 20
    field_sets = [frozenset(record.__struct_fields__) for record in records]
    assert len(set(field_sets)) == len(records)


def _api(default: object) -> API:
    field = Field("a", ScalarType("integer"), required=False, nullable=False, default=default)
    models = (Model("M", (field,), direction="response"),)
    return API(title="t", version="1", models=models, aliases=(), operations=(), vendors=())


def test_the_fingerprint_tells_apart_apis_differing_in_one_default() -> None:
    assert fingerprint(_api(1)) == fingerprint(_api(1))
    assert len({fingerprint(_api(1)), fingerprint(_api(2)), fingerprint(_api(1.0))}) == 3


def test_the_fingerprint_of_a_default_json_cannot_write_is_still_made() -> None:
    """A value with no JSON form (not one a parsed document holds) falls back to the repr."""
    odd = _api(complex(1, 2))
    with pytest.raises(TypeError):
        msgspec.json.encode(odd)
    assert fingerprint(odd) == fingerprint(_api(complex(1, 2)))
    assert fingerprint(odd) != fingerprint(_api(complex(1, 3)))


def test_records_survive_to_data_and_back() -> None:
    field = Field(
        "a",
        UnionType((ScalarType("string", Constraints(max_length=3)), ModelRef("B"))),
        required=False,
        nullable=True,
        documents=("x.yaml",),
    )
    assert from_data(to_data(field), Field) == field
