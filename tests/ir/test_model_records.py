"""The IR's records: frozen, compared and hashed by value, and written out in full by repr, which
the package header's fingerprint hashes (codegen.render.package.fingerprint)."""

from __future__ import annotations

import msgspec
import pytest

from codegen.ir.model import Constraints, Field, ModelRef, ScalarType, UnionType
from codegen.ir.serialize import from_data, to_data


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


def test_records_survive_to_data_and_back() -> None:
    field = Field(
        "a",
        UnionType((ScalarType("string", Constraints(max_length=3)), ModelRef("B"))),
        required=False,
        nullable=True,
        documents=("x.yaml",),
    )
    assert from_data(to_data(field), Field) == field
