"""Python names for IR names: safe identifiers, class names, method and module names."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")
_NOT_IDENTIFIER = re.compile(r"\W+")

# Attributes of pydantic.BaseModel a field must not shadow (shadowing raises or silently breaks
# `.json()`/`.copy()`). Listed, not read from the installed pydantic, so that the output does not
# depend on which pydantic version renders it.
BASE_MODEL_ATTRIBUTES = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
    }
)


def words(name: str) -> list[str]:
    """Split ``chatCompletion``, ``chat_completion``, ``chat-completion`` into lower-case words."""
    return [word.lower() for word in _WORD.findall(name)]


def snake_case(name: str) -> str:
    """``createChatCompletion`` -> ``create_chat_completion``, made a safe identifier."""
    return safe_identifier("_".join(words(name)) or "value")


def class_name(name: str) -> str:
    """``chat completion`` / ``chat_completion`` -> ``ChatCompletion`` (kept when already one)."""
    if name.isidentifier() and name[:1].isupper() and not keyword.iskeyword(name):
        return name
    joined = "".join(word[:1].upper() + word[1:] for word in words(name))
    if not joined:
        return "Unnamed"
    return joined if joined[0].isalpha() else f"T{joined}"


def safe_identifier(name: str) -> str:
    """Replace what an identifier may not hold; a keyword or leading digit gets an underscore."""
    cleaned = _NOT_IDENTIFIER.sub("_", name).strip("_") or "value"
    if cleaned[0].isdigit():
        cleaned = f"_{cleaned}"
    if keyword.iskeyword(cleaned):
        cleaned = f"{cleaned}_"
    return cleaned


def field_name(wire_name: str, *, reserved: Iterable[str] = ()) -> str:
    """The attribute name for a wire name: itself when usable, else a safe spelling.

    Wire names are kept as they are (no camelCase conversion) so most fields need no alias; only
    keywords, non-identifiers, private-looking names and BaseModel attributes are renamed.
    """
    name = safe_identifier(wire_name).lstrip("_") or "value"
    if name[0].isdigit():
        name = f"field_{name}"
    taken = set(reserved) | BASE_MODEL_ATTRIBUTES
    while name in taken or keyword.iskeyword(name):
        name = f"{name}_"
    return name


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``... whichever is not in ``taken``; records the result."""
    candidate = name
    counter = 2
    while candidate in taken:
        candidate = f"{name}_{counter}"
        counter += 1
    taken.add(candidate)
    return candidate
