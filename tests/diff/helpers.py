"""Small documents for the diff tests, and shortcuts from (old, new) YAML texts to changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from codegen.diff import Change, diff_apis, load_side
from codegen.ir.model import API

from ..ir.helpers import chat_document, schema

CHAT = "POST /v1/chat/completions"

REQUEST = """
type: object
required: [model, messages]
properties:
  model: {type: string}
  messages:
    type: array
    items:
      type: object
      required: [role, content]
      properties:
        role: {type: string, enum: [system, user]}
        content: {type: string}
  temperature: {type: number, minimum: 0, maximum: 2, default: 1}
  effort: {type: string, enum: [low, high]}
  stream: {type: boolean, description: stream the response as server-sent events}
"""

RESPONSE = """
type: object
required: [id, choices, object]
properties:
  id: {type: string}
  object: {type: string, enum: [chat.completion]}
  created: {type: integer}
  choices:
    type: array
    items:
      type: object
      properties:
        finish_reason: {type: string, enum: [stop, length]}
        text: {type: string}
"""

CHUNK = """
type: object
properties:
  id: {type: string}
  delta: {type: string}
"""


def document(**overrides: Any) -> str:
    """The base chat document, with any of chat_document's arguments replaced."""
    arguments: dict[str, Any] = {"request": REQUEST, "response": RESPONSE, "chunk": CHUNK}
    arguments.update(overrides)
    return chat_document(**arguments)


def edited(text: str | dict[str, Any], place: str, value: Any) -> str:
    """A schema snippet with one key (``a/b/c``, ``-`` deletes) set: the edit a test makes."""
    tree = schema(text)
    *parents, last = place.split("/")
    node = tree
    for key in parents:
        node = node[key]
    if value == "-":
        del node[last]
    else:
        node[last] = value
    return yaml.safe_dump(tree, sort_keys=False)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_api(path: Path) -> API:
    """One side as the diff command loads it, without the reference (small documents stay small)."""
    side = load_side(str(path), reference=())
    assert side.api is not None, [str(error) for error in side.errors]
    return side.api


def diff_texts(tmp_path: Path, old: str, new: str, *, name: str = "vendora.yaml") -> list[Change]:
    """The changes between two documents of the same vendor (the same file name)."""
    return diff_apis(
        load_api(write(tmp_path / "old", name, old)), load_api(write(tmp_path / "new", name, new))
    )


def diff_sets(tmp_path: Path, old: dict[str, str], new: dict[str, str]) -> list[Change]:
    """The changes between two sets of documents, each a folder of file name -> text."""
    for side, files in (("old", old), ("new", new)):
        for name, text in files.items():
            write(tmp_path / side, name, text)
    return diff_apis(load_api(tmp_path / "old"), load_api(tmp_path / "new"))


def at(changes: list[Change], place: str, operation: str | None = CHAT) -> list[Change]:
    """The changes at one place of one operation (``operation=None``: of a vendor)."""
    return [c for c in changes if c.place == place and c.operation == operation]


def one(changes: list[Change], place: str, operation: str | None = CHAT) -> Change:
    """The only change at a place, and there must be exactly one."""
    found = at(changes, place, operation)
    assert len(found) == 1, [(c.kind, c.place) for c in changes]
    return found[0]


def kinds(changes: list[Change]) -> list[tuple[str, str, bool]]:
    """(kind, location, breaking) of each change: what most tests compare whole."""
    return [(c.kind, c.location, c.breaking) for c in changes]


def with_keys(text: str, **keys: Any) -> str:
    """A document with top-level keys added or replaced (``security``, ``components``)."""
    tree = yaml.safe_load(text)
    for key, value in keys.items():
        tree[key] = {**tree.get(key, {}), **value} if isinstance(value, dict) else value
    return yaml.safe_dump(tree, sort_keys=False)


def with_bearer(text: str) -> str:
    return with_keys(
        text,
        components={"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        security=[{"bearer": []}],
    )


def with_api_key(text: str, header: str) -> str:
    return with_keys(
        text,
        components={"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": header}}},
        security=[{"key": []}],
    )
