"""Every ``$ref`` made local: other files' nodes bundled in, remote ones never fetched.

Later stages resolve only ``#/...`` references inside the one document. Here:
- a reference to another local file (``schemas.yaml#/Pet``, relative to the document that says it)
  is read and its node copied under ``components`` (a schema under ``schemas``, a parameter under
  ``parameters``, and so on), with that file's own references bundled the same way, cycles
  included; a file outside the document's folder (or the working directory holding it) is not
  read, nor followed there through a symbolic link;
- a remote reference (``http://``, ``https://``, any other scheme) is never fetched, and neither
  is a missing file or a dangling pointer: the node becomes an unknown shape, with a note;
- a local reference written with percent-encoding is rewritten in plain JSON-pointer form;
- a component whose name OpenAPI does not allow (``a/b``, ``with space``) is renamed with ``_``
  for each character outside ``[A-Za-z0-9._-]``, and the references to it follow.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import SpecgenError
from ..jsonpointer import exists, join, rebase, resolve, split
from .notes import IngestNote

UNRESOLVED = "x-specgen-unresolved-ref"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9._-]+$")
_MAX_FILES = 256
# The component section a bundled node goes to, by the place of the reference that names it.
_SECTIONS = (
    ("parameters", "parameters"),
    ("responses", "responses"),
    ("requestBody", "requestBodies"),
    ("headers", "headers"),
    ("examples", "examples"),
    ("links", "links"),
    ("callbacks", "callbacks"),
)


def _section(pointer: str) -> str:
    """Which ``components`` section a node referenced from ``pointer`` belongs in."""
    tokens = split(pointer)
    if "schema" in tokens or "schemas" in tokens or "properties" in tokens or "items" in tokens:
        return "schemas"
    for position in (-1, -2):
        if len(tokens) >= -position:
            for key, section in _SECTIONS:
                if tokens[position] == key:
                    return section
    return "schemas"


def _walk_refs(node: Any, pointer: str = "") -> list[tuple[str, dict[str, Any]]]:
    """(pointer, node) for every mapping holding a string ``$ref``, without recursion."""
    found: list[tuple[str, dict[str, Any]]] = []
    stack: list[tuple[Any, str]] = [(node, pointer)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, dict):
            if isinstance(current.get("$ref"), str):
                found.append((where, current))
            for key, value in current.items():
                if isinstance(value, dict | list):
                    stack.append((value, join(where, key)))
        elif isinstance(current, list):
            for index, value in enumerate(current):
                if isinstance(value, dict | list):
                    stack.append((value, join(where, index)))
    found.sort(key=lambda item: item[0])
    return found


def _fragment_pointer(fragment: str) -> str | None:
    """The JSON pointer of a ``#fragment``, percent-decoded; None if it is not a pointer."""
    decoded = unquote(fragment)
    if decoded == "":
        return ""
    return decoded if decoded.startswith("/") else None


class _Bundler:
    """Bundles one document's references; remembers each external node it has copied in."""

    def __init__(self, document: dict[str, Any], path: str) -> None:
        self.document = document
        self.base = Path(path).resolve().parent if path else Path.cwd().resolve()
        self.allowed = _project_roots(self.base)
        self.notes: list[IngestNote] = []
        self.files: dict[Path, Any] = {}
        self.copied: dict[tuple[Path, str], str] = {}
        self.names: set[tuple[str, str]] = set()
        self.renamed: dict[str, str] = {}

    def rename_components(self) -> None:
        """Give every component a name OpenAPI allows; references follow in ``_settle_local``."""
        components = self.document.get("components")
        if not isinstance(components, dict):
            return
        for section, members in components.items():
            if not isinstance(members, dict) or section.startswith("x-"):
                continue
            if all(_COMPONENT_NAME.match(str(name)) for name in members):
                continue
            taken = {str(name) for name in members if _COMPONENT_NAME.match(str(name))}
            renamed: dict[str, Any] = {}
            for name, member in members.items():
                new = str(name)
                if not _COMPONENT_NAME.match(new):
                    base = re.sub(r"[^A-Za-z0-9._-]", "_", new) or "_"
                    new, counter = base, 2
                    while new in taken:
                        new, counter = f"{base}_{counter}", counter + 1
                    taken.add(new)
                    old_pointer = join("/components", section, str(name))
                    self.renamed[old_pointer] = join("/components", section, new)
                    self.notes.append(
                        IngestNote(
                            rule="component-name",
                            pointer=old_pointer,
                            message=f"component name {name!r} is not allowed; renamed {new!r}",
                            before=str(name),
                            after=new,
                        )
                    )
                renamed[new] = member
            components[section] = renamed

    def unresolved(self, pointer: str, node: dict[str, Any], why: str, level: str) -> None:
        reference = node.pop("$ref")
        node[UNRESOLVED] = reference
        self.notes.append(
            IngestNote(
                rule="unresolved-reference",
                pointer=join(pointer, "$ref"),
                message=f"$ref {reference!r} {why}; it stands as an unknown shape",
                level="warning" if level == "warning" else "repair",
                before=reference,
            )
        )

    def _load(self, file: Path) -> Any:
        if file not in self.files:
            if len(self.files) >= _MAX_FILES:
                raise SpecgenError(f"more than {_MAX_FILES} files referenced", file=str(file))
            from .source import read_source
            from .yaml_lines import parse_with_lines

            source = read_source(file)
            self.files[file] = parse_with_lines(source.text, file=source.path).data
        return self.files[file]

    def _within_reach(self, file: Path) -> bool:
        return any(file == root or root in file.parents for root in self.allowed)

    def _name(self, section: str, pointer: str, file: Path) -> str:
        stem = split(pointer)[-1] if pointer else file.stem
        base = re.sub(r"[^A-Za-z0-9._-]", "_", stem) or "Bundled"
        name, counter = base, 2
        existing = (self.document.get("components") or {}).get(section) or {}
        while (section, name) in self.names or name in existing:
            name, counter = f"{base}_{counter}", counter + 1
        self.names.add((section, name))
        return name

    def bundle_external(
        self, holder: dict[str, Any], where: str, reference: str, folder: Path
    ) -> None:
        location, _, fragment = reference.partition("#")
        if location.lower().startswith("file:"):  # file:///abs/path, file:relative
            # Imported here: urllib.request brings http, email and ssl (15 ms at every start).
            from urllib.request import url2pathname

            local = url2pathname(urlsplit(location).path)
        else:
            local = unquote(location)
        try:
            target_file = (folder / local).resolve()
        except (OSError, RuntimeError, ValueError):  # a link loop (Python < 3.13), a NUL byte
            self.unresolved(where, holder, "names no file that can be opened; not read", "warning")
            return
        pointer = _fragment_pointer(fragment)
        if pointer is None:
            self.unresolved(where, holder, "names an anchor, not a JSON pointer", "warning")
            return
        if not self._within_reach(target_file):
            self.unresolved(where, holder, "points outside the project; not read", "warning")
            return
        key = (target_file, pointer)
        if key not in self.copied:
            try:
                data = self._load(target_file)
                node = resolve(data, pointer)
            except SpecgenError as error:
                self.unresolved(where, holder, f"cannot be read ({error.message})", "warning")
                return
            except (KeyError, ValueError):
                self.unresolved(where, holder, "names nothing in that file", "warning")
                return
            section = _section(where)
            name = self._name(section, pointer, target_file)
            local = join("/components", section, name)
            self.copied[key] = local
            copy_of = _deep_copy(node)
            components = self.document.setdefault("components", {})
            components.setdefault(section, {})[name] = copy_of
            # The copy's own references are relative to the file it came from.
            for inner_where, inner in _walk_refs(copy_of, local):
                self.settle(inner_where, inner, target_file.parent, target_file)
            self.notes.append(
                IngestNote(
                    rule="external-reference",
                    pointer=join(where, "$ref"),
                    message=f"bundled {reference!r} from {_shown(target_file)} as {local}",
                    before=reference,
                    after="#" + local,
                )
            )
        holder["$ref"] = "#" + self.copied[key]

    def settle(
        self, where: str, holder: dict[str, Any], folder: Path, file: Path | None = None
    ) -> None:
        reference = holder["$ref"]
        if reference.startswith("#"):
            if file is not None:  # a local reference inside a bundled file: that file's node
                self.bundle_external(holder, where, file.name + reference, file.parent)
                return
            self._settle_local(where, holder, reference)
        elif _SCHEME.match(reference) and not reference.lower().startswith("file:"):
            self.unresolved(where, holder, "is remote and is never fetched", "warning")
        else:
            self.bundle_external(holder, where, reference, folder)

    def _settle_local(self, where: str, holder: dict[str, Any], reference: str) -> None:
        pointer = _fragment_pointer(reference[1:])
        if pointer is None:
            self.unresolved(where, holder, "names an anchor, not a JSON pointer", "warning")
            return
        renamed = rebase(pointer, self.renamed)
        if renamed != pointer and exists(self.document, renamed):
            holder["$ref"] = "#" + renamed
        elif exists(self.document, reference[1:]):
            return
        elif exists(self.document, pointer):
            holder["$ref"] = "#" + pointer
            self.notes.append(
                IngestNote(
                    rule="reference-encoding",
                    pointer=join(where, "$ref"),
                    message="percent-encoded $ref rewritten as a plain JSON pointer",
                    before=reference,
                    after="#" + pointer,
                )
            )
        else:
            self.unresolved(where, holder, "names nothing in this document", "warning")


def _project_roots(base: Path) -> tuple[Path, ...]:
    """Where a document's references may lead: its own folder, and the working directory when
    the document lies inside it, and never the file system's root (run from ``/``, the working
    directory would open the whole disk to ``../../etc/passwd``)."""
    cwd = Path.cwd().resolve()
    inside_cwd = base == cwd or cwd in base.parents
    return (base, cwd) if inside_cwd and cwd.parent != cwd else (base,)


def _deep_copy(node: Any) -> Any:
    import copy

    return copy.deepcopy(node)


def _shown(file: Path) -> str:
    try:
        return str(file.relative_to(Path.cwd().resolve())).replace(os.sep, "/")
    except ValueError:
        return file.name


def bundle_references(
    document: dict[str, Any], path: str
) -> tuple[dict[str, Any], list[IngestNote], dict[str, str]]:
    """The document with every ``$ref`` local and resolvable (or marked), a note for each, and
    the components renamed (old pointer -> new pointer)."""
    bundler = _Bundler(document, path)
    bundler.rename_components()
    holders = _walk_refs(document)
    for where, holder in holders:
        bundler.settle(where, holder, bundler.base)
    if bundler.copied or bundler.renamed:
        # Nodes were copied in or components moved: holders and their pointers changed.
        holders = _walk_refs(document)
    # Otherwise settling changed holders in place only (a $ref rewritten or taken out), which
    # the loop check reads from the holders themselves: the walk would find the same ones.
    _break_reference_loops(document, holders, bundler)
    return document, bundler.notes, bundler.renamed


def _break_reference_loops(
    document: dict[str, Any], holders: list[tuple[str, dict[str, Any]]], bundler: _Bundler
) -> None:
    """A ``$ref`` whose chain of references comes back to itself without any schema in between
    (``A: {$ref: A}``, ``A -> B -> A``) names nothing: it becomes an unknown shape with a note.

    A cycle through properties or items is a recursive type and is kept; only a loop of bare
    references, which no reader can ever resolve, is broken.
    """
    by_pointer = {where: holder for where, holder in holders}
    looping: set[str] = set()
    for start in by_pointer:
        seen: list[str] = []
        current: str | None = start
        while current is not None and current not in seen:
            seen.append(current)
            reference = by_pointer[current].get("$ref")
            target = reference[1:] if isinstance(reference, str) else None
            current = target if target in by_pointer else None
        if current is not None and current == start:
            looping.add(start)
    for where in sorted(looping):
        bundler.unresolved(
            where, by_pointer[where], "only refers back to itself through references", "warning"
        )


def dangling_references(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(holder pointer, reference) for every local ``$ref`` that names nothing."""
    return [
        (where, holder["$ref"])
        for where, holder in _walk_refs(document)
        if holder["$ref"].startswith("#") and not exists(document, unquote(holder["$ref"][1:]))
    ]
