"""datamodel-code-generator run on the API's JSON Schema: the second implementation of the models.

Used as the oracle of the model tests and by measure_models.py. Options chosen to state the same
contract as specgen's own models: Literal enums, bounds as constraints, `extra` from
additionalProperties, and the MISSING sentinel so that an optional, non-nullable field refuses
null as specgen's `Omittable` does.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from datamodel_code_generator import (
    InputFileType,
    LiteralType,
    PythonVersion,
    TargetPydanticVersion,
    generate,
)
from datamodel_code_generator.enums import DataModelType
from datamodel_code_generator.format import Formatter

from codegen.ir.model import API
from codegen.render.jsonschema import api_json_schema


def generate_dcg_models(
    api: API, output: Path, *, formatters: tuple[str, ...] = ("builtin",)
) -> Path:
    """Write datamodel-code-generator's models of ``api`` to ``output`` (a .py file)."""
    generate(
        json.dumps(api_json_schema(api)),
        input_file_type=InputFileType.JsonSchema,
        output=output,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        target_pydantic_version=TargetPydanticVersion.V2_12,
        enum_field_as_literal=LiteralType.All,
        use_annotated=True,
        field_constraints=True,
        strict_nullable=True,
        use_union_operator=True,
        use_missing_sentinel=True,
        use_schema_description=True,
        use_field_description=True,
        use_attribute_docstrings=True,
        disable_timestamp=True,
        formatters=[Formatter(name) for name in formatters],
    )
    return output


def import_file(path: Path, name: str) -> ModuleType:
    """Import one generated module file under ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
