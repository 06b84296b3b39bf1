"""Python names for IR names: safe identifiers, class names, method and module names."""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata
from collections.abc import Container, Iterable, Set

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")
_NOT_IDENTIFIER = re.compile(r"\W+")
MAX_IDENTIFIER = 64
"""Longest name made: a module's name is also a file name (255 bytes at most), and a
1,000-character name reads no better than its first words."""

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


def ascii_spelling(name: str) -> str:
    """``café`` -> ``cafe``, ``ｆｕｌｌ`` -> ``full``, ``日本`` -> ``_u65e5__u672c_``: names made
    are ASCII. Python folds identifiers by NFKC, so ``ｆｕｌｌ`` and ``full`` would be one name,
    and a Cyrillic ``а`` would pass for a Latin ``a``; accents go, other letters are spelt by
    code point."""
    if name.isascii():
        return name
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(
        char if char.isascii() else f"_u{ord(char):04x}_"
        for char in decomposed
        if not unicodedata.combining(char)
    )


def words(name: str) -> list[str]:
    """Split ``chatCompletion``, ``chat_completion``, ``chat-completion`` into lower-case words."""
    return [word.lower() for word in _WORD.findall(ascii_spelling(name))]


def snake_case(name: str) -> str:
    """``createChatCompletion`` -> ``create_chat_completion``, made a safe identifier."""
    return safe_identifier("_".join(words(name)) or "value")


def bounded(name: str) -> str:
    """``name`` cut to MAX_IDENTIFIER characters, ending in a hash of all of it, so two long
    names that share their start stay two names, and the same name always gives the same cut."""
    if len(name) <= MAX_IDENTIFIER:
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{name[: MAX_IDENTIFIER - 9].rstrip('_')}_{digest}"


def class_name(name: str) -> str:
    """``chat completion`` / ``chat_completion`` -> ``ChatCompletion`` (kept when already one)."""
    return bounded(_class_name(name))


def _class_name(name: str) -> str:
    if (
        name.isascii()
        and name.isidentifier()
        and name[:1].isupper()
        and not keyword.iskeyword(name)
    ):
        return name
    joined = "".join(word[:1].upper() + word[1:] for word in words(name))
    if not joined:
        return "Unnamed"
    if keyword.iskeyword(joined):  # None, True, False
        return f"{joined}Model"
    return joined if joined[0].isalpha() else f"T{joined}"


def safe_identifier(name: str) -> str:
    """Replace what an identifier may not hold; a keyword or leading digit gets an underscore."""
    cleaned = _NOT_IDENTIFIER.sub("_", ascii_spelling(name)).strip("_") or "value"
    if cleaned[0].isdigit():
        cleaned = f"_{cleaned}"
    if keyword.iskeyword(cleaned):
        cleaned = f"{cleaned}_"
    return bounded(cleaned)


class NameScope:
    """The names taken in one scope: a shared set (the module's class names) and the scope's
    own, so that a scope per model does not copy the module's thousands of names."""

    def __init__(self, shared: Set[str], own: Iterable[str] = ()) -> None:
        self.shared = shared
        self.own = set(own)

    def __contains__(self, name: object) -> bool:
        return name in self.own or name in self.shared

    def add(self, name: str) -> None:
        self.own.add(name)


def field_name(wire_name: str, *, reserved: Container[str] = ()) -> str:
    """The attribute name for a wire name: itself when usable, else a safe spelling.

    Wire names are kept as they are (no camelCase conversion) so most fields need no alias; only
    keywords, non-identifiers, private-looking names and BaseModel attributes are renamed.
    """
    name = safe_identifier(wire_name).lstrip("_") or "value"
    if name[0].isdigit():
        name = bounded(f"field_{name}")
    while name in reserved or name in BASE_MODEL_ATTRIBUTES or keyword.iskeyword(name):
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
