"""Stage 3, merge: all normalized documents into one API, keeping which document said what.

Operations are matched by method and path suffix (the vendor's prefix moves into its base URL);
schemas are matched by their place (request body, success body, stream chunk, error body), not by
name. Input order does not matter: documents are taken in name order.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..jsonpointer import resolve
from ..normalize import NormalizedDocument, is_specgen_merged
from ..normalize.marks import ASSUMED, ERROR_CATALOGUE, MISSING, STREAM
from ..openapi_walk import iter_operations
from ..report import Finding
from .build import MERGE_DOCUMENT, BuildContext, Registry, build_root, object_tag_name
from .emit import REFERENCE_EXTENSION
from .model import (
    API,
    ErrorSpec,
    FieldBounds,
    InBodyError,
    KnownValues,
    Model,
    ModelRef,
    Operation,
    ScalarType,
    StreamSpec,
    VendorProfile,
)
from .naming import env_var, pascal
from .shapes import DOCUMENTS, NAME_HINT, Shape, add_schema
from .vendors import read_vendor_extension

REFERENCE_VENDOR = "(reference)"
JSON_MEDIA = "application/json"
STREAM_MEDIA = "text/event-stream"


@dataclass(frozen=True)
class MergeResult:
    api: API
    findings: tuple[Finding, ...]


@dataclass
class _Source:
    """One document's view of one matched operation."""

    document: NormalizedDocument
    openapi: dict[str, Any]
    path: str
    method: str
    operation: dict[str, Any]


def dereference(document: dict[str, Any]) -> dict[str, Any]:
    """A copy with every local ``$ref`` inlined; a reference cycle is cut and marked unknown.

    Component names of vendor documents are tool-generated ids and are dropped; those of
    specgen's own merged documents are the model names, kept as a hint so a round trip holds.
    """
    root = copy.deepcopy(document)
    keep_names = is_specgen_merged(document)

    def walk(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [walk(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith("#"):
            if reference in seen:
                return {"x-specgen-unknown": "shape", "description": f"recursive {reference}"}
            try:
                target = resolve(root, reference[1:])
            except KeyError:
                return {"x-specgen-unknown": "shape", "description": f"unresolved {reference}"}
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if keep_names and reference.startswith("#/components/schemas/"):
                siblings[NAME_HINT] = reference.rsplit("/", 1)[1]
            resolved = walk(target, (*seen, reference))
            return {**resolved, **siblings} if isinstance(resolved, dict) else resolved
        return {key: walk(value, seen) for key, value in node.items()}

    resolved: dict[str, Any] = walk(root, ())
    return resolved


def _segments(path: str) -> list[str]:
    return [segment for segment in path.strip("/").split("/") if segment]


def _common_suffix(paths: Iterable[str]) -> list[str]:
    split = [_segments(p) for p in paths]
    suffix: list[str] = []
    for parts in zip(*(reversed(s) for s in split), strict=False):
        if len(set(parts)) != 1:
            break
        suffix.insert(0, parts[0])
    return suffix


def _same_operation(a: str, b: str) -> bool:
    """Paths name one operation when one ends with the other or they share two trailing segments."""
    sa, sb = _segments(a), _segments(b)
    shorter, longer = sorted((sa, sb), key=len)
    if shorter and longer[-len(shorter) :] == shorter:
        return True
    return len(_common_suffix([a, b])) >= 2


def _media_examples(media: dict[str, Any]) -> list[Any]:
    found: list[Any] = []
    if "example" in media:
        found.append(media["example"])
    for example in (media.get("examples") or {}).values():
        if isinstance(example, dict) and "value" in example:
            found.append(example["value"])
    return found


def _success_status(responses: dict[str, Any]) -> str | None:
    statuses = sorted(s for s in responses if s.isdigit() and s.startswith("2"))
    return statuses[0] if statuses else None


def _choose(texts: Iterable[tuple[str, str | None]]) -> str | None:
    pool = [(doc, text.strip()) for doc, text in texts if isinstance(text, str) and text.strip()]
    if not pool:
        return None
    return sorted(pool, key=lambda item: (-len(item[1]), item[0]))[0][1]


def _may_join(member: _Source, source: _Source) -> bool:
    """Two paths of one document are one operation only when it is served twice (under two
    prefixes): the same request body and responses. Otherwise they are two operations."""
    if member.document.name != source.document.name:
        return True
    same = ("requestBody", "responses")
    return all(member.operation.get(key) == source.operation.get(key) for key in same)


def _group_operations(documents: Sequence[NormalizedDocument]) -> list[list[_Source]]:
    groups: list[list[_Source]] = []
    for document in documents:
        resolved = dereference(document.openapi)
        for _pointer, path, method, operation in iter_operations(resolved):
            source = _Source(document, resolved, path, method, operation)
            # A document's distinct operations stay distinct, and a path joins the operation it
            # shares the longest ending with: `/completions` must not swallow `/chat/completions`.
            candidates = [
                group
                for group in groups
                if group[0].method == method
                and all(_may_join(member, source) for member in group)
                and any(_same_operation(member.path, path) for member in group)
            ]
            if candidates:
                best = max(
                    candidates,
                    key=lambda group: max(
                        len(_common_suffix([member.path, path])) for member in group
                    ),
                )
                best.append(source)
            else:
                groups.append([source])
    return groups


def merge(
    documents: Sequence[NormalizedDocument], *, reference: Sequence[NormalizedDocument] = ()
) -> MergeResult:
    """Merge vendor documents (and optional reference documents of less weight) into one API."""
    vendor_docs = sorted(documents, key=lambda d: d.name)
    reference_docs = sorted(reference, key=lambda d: d.name)
    vendor_of = {d.name: d.vendor for d in vendor_docs}
    vendor_of.update({d.name: REFERENCE_VENDOR for d in reference_docs})
    vendor_of.update(_declared_documents(vendor_docs))
    declared_references = {
        str(name) for d in vendor_docs for name in d.openapi.get(REFERENCE_EXTENSION) or []
    }
    vendor_of.update({name: REFERENCE_VENDOR for name in declared_references})
    references = frozenset({d.name for d in reference_docs} | declared_references)
    findings: list[Finding] = []
    registry = Registry()
    operations: list[Operation] = []
    profiles_input: dict[str, dict[str, Any]] = {}
    contexts: list[BuildContext] = []
    for group in _group_operations([*vendor_docs, *reference_docs]):
        if all(source.document.name in references for source in group):
            continue
        operation, group_contexts = _merge_operation(
            group, vendor_of, references, registry, findings
        )
        operations.append(operation)
        contexts.extend(group_contexts)
        suffix = operation.path
        for source in group:
            if source.document.name in references:
                continue
            prefix = (
                source.path[: len(source.path) - len(suffix)].rstrip("/")
                if suffix != "/"
                else source.path
            )
            entry = profiles_input.setdefault(
                source.document.vendor, {"documents": [], "prefixes": {}}
            )
            entry["documents"].append(source)
            entry["prefixes"][source.document.name] = prefix
    declared = _declared_profiles(vendor_docs)
    vendors = (
        declared
        if declared is not None
        else tuple(
            _profile(vendor, entry, contexts, operations, registry, findings)
            for vendor, entry in sorted(profiles_input.items())
        )
    )
    title, version = _title(vendor_docs)
    api = API(
        title=title,
        version=version,
        models=tuple(registry.models.values()),
        aliases=tuple(registry.aliases.values()),
        operations=tuple(operations),
        vendors=vendors,
        documents=tuple(sorted({doc for op in operations for doc in op.documents})),
        reference_documents=tuple(sorted(references)),
    )
    return MergeResult(api=api, findings=tuple(findings))


def _declared_documents(documents: Sequence[NormalizedDocument]) -> dict[str, str]:
    """Document -> vendor pairs a merged document carries about the documents behind it."""
    found: dict[str, str] = {}
    for document in documents:
        for profile in read_vendor_extension(document.openapi) or ():
            for name in profile.documents:
                found[name] = profile.name
    return found


def _declared_profiles(documents: Sequence[NormalizedDocument]) -> tuple[VendorProfile, ...] | None:
    """A merged specgen document states its vendor profiles; they are taken as written."""
    declared = [read_vendor_extension(document.openapi) for document in documents]
    if len(documents) == 1 and declared[0] is not None:
        return declared[0]
    return None


def _title(documents: Sequence[NormalizedDocument]) -> tuple[str, str]:
    for document in documents:
        info = document.openapi.get("info") or {}
        if info.get("x-specgen-merged"):
            return str(info.get("title")), str(info.get("version"))
    return "Chat API", "1.0.0"


def _merge_operation(
    group: list[_Source],
    vendor_of: dict[str, str],
    references: frozenset[str],
    registry: Registry,
    findings: list[Finding],
) -> tuple[Operation, list[BuildContext]]:
    vendor_sources = [s for s in group if s.document.name not in references] or group
    suffix = "/" + "/".join(_common_suffix(s.path for s in vendor_sources))
    ids = sorted(
        {
            str(s.operation.get("operationId"))
            for s in vendor_sources
            if s.operation.get("operationId")
        }
    )
    operation_id = ids[0] if ids else group[0].method + pascal(suffix)
    if len(ids) > 1:
        findings.append(
            Finding(
                "operation-id-disagree",
                "warning",
                MERGE_DOCUMENT,
                suffix,
                f"operation ids differ ({', '.join(ids)}): {operation_id} chosen",
            )
        )
    request_shape, response_shape, chunk_shape = Shape(), Shape(), Shape()
    error_shapes: dict[int, Shape] = {}
    error_info: dict[int, dict[str, Any]] = {}
    terminators: set[str | None] = set()
    for source in group:
        name = source.document.name
        operation = source.operation
        body = operation.get("requestBody") or {}
        media = (body.get("content") or {}).get(JSON_MEDIA)
        if isinstance(media, dict) and "schema" in media:
            add_schema(request_shape, media["schema"], name, _media_examples(media))
        responses = operation.get("responses") or {}
        status = _success_status(responses)
        if status is not None:
            content = responses[status].get("content") or {}
            json_media = content.get(JSON_MEDIA)
            if (
                isinstance(json_media, dict)
                and "schema" in json_media
                and not json_media.get(MISSING)
            ):
                add_schema(response_shape, json_media["schema"], name, _media_examples(json_media))
            stream_media = content.get(STREAM_MEDIA)
            if isinstance(stream_media, dict) and isinstance(stream_media.get("schema"), dict):
                add_schema(chunk_shape, stream_media["schema"], name, _media_examples(stream_media))
                stream_mark = stream_media.get(STREAM) or {}
                terminators.add(
                    stream_mark.get("terminator") if isinstance(stream_mark, dict) else None
                )
        for code, response in responses.items():
            if not (code.isdigit() and code[0] in "45") or not isinstance(response, dict):
                continue
            number = int(code)
            info = error_info.setdefault(
                number, {"documents": set(), "assumed": set(), "texts": {}}
            )
            declared = response.get(DOCUMENTS)
            behind = set(map(str, declared)) if isinstance(declared, list) and declared else {name}
            info["documents"] |= behind
            info["texts"][name] = response.get("description")
            media = (response.get("content") or {}).get(JSON_MEDIA)
            if isinstance(media, dict) and "schema" in media:
                if media.get(ASSUMED) or response.get(ASSUMED):
                    info["assumed"] |= behind
                add_schema(
                    error_shapes.setdefault(number, Shape()),
                    media["schema"],
                    name,
                    _media_examples(media),
                )
    stem = operation_id[len(re.match(r"[a-z]*", operation_id).group(0)) :] if operation_id else ""  # type: ignore[union-attr]
    noun = stem or pascal(suffix)

    def context(direction: Any, root: str) -> BuildContext:
        return BuildContext(
            direction=direction,
            vendor_of=vendor_of,
            reference=references,
            registry=registry,
            findings=findings,
            root=root,
        )

    contexts: list[BuildContext] = []
    request_ref = None
    if request_shape.documents:
        root = pascal(operation_id) + "Request"
        request_context = context("request", root)
        request_ref = build_root(request_shape, request_context, [root])
        contexts.append(request_context)
    response_ref = None
    if response_shape.documents:
        root = _root_name(response_shape) or f"{noun}Response"
        response_ref = build_root(
            response_shape, context("response", root), [root, f"{noun}Response"]
        )
    stream = None
    if chunk_shape.documents:
        root = _root_name(chunk_shape) or f"{noun}Chunk"
        chunk_ref = build_root(chunk_shape, context("response", root), [root, f"{noun}Chunk"])
        flag = _stream_flag(registry, request_ref)
        if chunk_ref is not None and flag is not None:
            known = sorted(t for t in terminators if t)
            stream = StreamSpec(flag=flag, chunk=chunk_ref, terminator=known[0] if known else None)
        elif chunk_ref is not None:
            findings.append(
                Finding(
                    "stream-without-flag",
                    "warning",
                    MERGE_DOCUMENT,
                    suffix,
                    "a streaming response is documented but no boolean request field turns it on",
                )
            )
    errors: list[ErrorSpec] = []
    for number in sorted(error_info):
        info = error_info[number]
        shape = error_shapes.get(number)
        model_ref = None
        if shape is not None:
            model_ref = build_root(
                shape,
                context("response", "ErrorResponse"),
                ["ErrorResponse", f"Error{number}Response"],
            )
        vendor_docs = info["documents"] - references
        errors.append(
            ErrorSpec(
                status=number,
                model=model_ref,
                description=_choose(info["texts"].items()),
                assumed=bool(info["assumed"]) and info["assumed"] >= vendor_docs,
                documents=tuple(sorted(vendor_docs)),
            )
        )
    documents = tuple(sorted({s.document.name for s in vendor_sources}))
    merged = Operation(
        id=operation_id,
        method=group[0].method,
        path=suffix,
        summary=_choose((s.document.name, s.operation.get("summary")) for s in vendor_sources),
        description=_choose(
            (s.document.name, s.operation.get("description")) for s in vendor_sources
        ),
        request=request_ref,
        request_required=any(
            bool((s.operation.get("requestBody") or {}).get("required")) for s in vendor_sources
        ),
        response=response_ref,
        stream=stream,
        errors=tuple(errors),
        documents=_declared_operation_documents(vendor_sources) or documents,
    )
    return merged, contexts


def _declared_operation_documents(sources: list[_Source]) -> tuple[str, ...] | None:
    if len(sources) == 1:
        declared = sources[0].operation.get("x-specgen-documents")
        if isinstance(declared, list):
            return tuple(str(d) for d in declared)
    return None


def _root_name(shape: Shape) -> str | None:
    if shape.object is None:
        return None
    return shape.object.name_hint or object_tag_name(shape.object)


_STREAM_WORDS = re.compile(r"stream|server-sent", re.I)


def _stream_flag(registry: Registry, request: ModelRef | None) -> str | None:
    """The boolean request field that switches streaming on, by its name or its description."""
    if request is None or request.name not in registry.models:
        return None
    for field in registry.models[request.name].fields:
        if (
            isinstance(field.type, ScalarType)
            and field.type.kind == "boolean"
            and (_STREAM_WORDS.search(field.name) or _STREAM_WORDS.search(field.description or ""))
        ):
            return field.name
    return None


def _field_path(path: str) -> str:
    """``/CreateChatCompletionRequest/temperature`` -> ``temperature``."""
    parts = path.split("/", 2)
    return parts[2].replace("/", ".") if len(parts) > 2 else ""


def _profile(
    vendor: str,
    entry: dict[str, Any],
    contexts: list[BuildContext],
    operations: list[Operation],
    registry: Registry,
    findings: list[Finding],
) -> VendorProfile:
    sources: list[_Source] = entry["documents"]
    documents = tuple(sorted({s.document.name for s in sources}))
    servers = [(s.document.name, (s.openapi.get("servers") or [{}])[0].get("url")) for s in sources]
    prefixes = entry["prefixes"]
    # A document's server and its path prefix belong together: ``https://h`` with
    # ``/v1/chat/completions`` and ``https://h/v1`` with ``/chat/completions`` are one base URL.
    bases = sorted(
        {
            (url.rstrip("/") + prefixes[doc], doc)
            for doc, url in servers
            if isinstance(url, str) and url
        }
    )
    urls = sorted({base for base, _ in bases})
    if len(urls) > 1:
        findings.append(
            Finding(
                "vendor-documents-disagree",
                "warning",
                MERGE_DOCUMENT,
                f"/vendors/{vendor}",
                f"base URLs differ ({', '.join(urls)}): {urls[0]} chosen",
            )
        )
    prefix_doc = bases[0][1] if bases else sorted(prefixes)[0]
    prefix = prefixes[prefix_doc]
    if not bases and len(set(prefixes.values())) > 1:
        findings.append(
            Finding(
                "vendor-documents-disagree",
                "warning",
                MERGE_DOCUMENT,
                f"/vendors/{vendor}",
                f"path prefixes differ ({prefixes}): {prefix!r} from {prefix_doc}",
            )
        )
    auth, header = _auth(sources)
    known: list[KnownValues] = []
    bounds: list[FieldBounds] = []
    required: set[str] = set()
    for context in contexts:
        for (path, who), values in sorted(context.known_values.items()):
            if who == vendor:
                known.append(KnownValues(field=_field_path(path), values=values))
        for (path, who), constraints in sorted(context.vendor_bounds.items()):
            if who == vendor:
                bounds.append(FieldBounds(field=_field_path(path), constraints=constraints))
        required |= context.vendor_required.get(vendor, set())
    merged_required = {
        f"/{model.name}/{field.name}"
        for model in registry.models.values()
        if model.direction == "request"
        for field in model.fields
        if field.required
    }
    top_level = sorted(_field_path(p) for p in required - merged_required if p.count("/") == 2)
    catalogue: dict[Any, InBodyError] = {}
    for source in sources:
        for item in source.operation.get(ERROR_CATALOGUE) or []:
            if isinstance(item, dict) and "code" in item:
                catalogue.setdefault(
                    item["code"],
                    InBodyError(
                        code=item["code"],
                        name=str(item.get("name") or f"Error {item['code']}"),
                        meaning=item.get("meaning"),
                    ),
                )
    features = _features(sources, operations, registry)
    return VendorProfile(
        name=vendor,
        base_url=urls[0] if urls else prefix,
        path_prefix=prefix,
        auth=auth,
        auth_header=header,
        api_key_env=env_var(vendor) if auth != "none" else None,
        documents=documents,
        known_values=tuple(known),
        required_fields=tuple(top_level),
        bounds=tuple(bounds),
        in_body_errors=tuple(catalogue[c] for c in sorted(catalogue, key=str)),
        features=features,
    )


def _auth(sources: list[_Source]) -> tuple[Any, str | None]:
    """The vendor's auth: the first scheme any of its documents requires for the operation."""
    for source in sources:
        requirements = source.operation.get("security", source.openapi.get("security"))
        schemes = (source.openapi.get("components") or {}).get("securitySchemes") or {}
        for requirement in requirements or []:
            for name in requirement or {}:
                scheme = schemes.get(name) or {}
                if (
                    scheme.get("type") == "http"
                    and str(scheme.get("scheme", "")).lower() == "bearer"
                ):
                    return "bearer", "Authorization"
                if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                    return "api-key", str(scheme.get("name"))
    return "none", None


def _features(
    sources: list[_Source], operations: list[Operation], registry: Registry
) -> tuple[str, ...]:
    """Optional request fields the vendor documents, and streaming where it documents it."""
    names = {s.document.name for s in sources}
    found: set[str] = set()
    for operation in operations:
        if operation.stream is not None:
            chunk = registry.models.get(operation.stream.chunk.name)
            if chunk is not None and names & set(chunk.documents):
                found.add("streaming")
        if operation.request is not None and operation.request.name in registry.models:
            model: Model = registry.models[operation.request.name]
            for field in model.fields:
                if not field.required and names & set(field.documents):
                    found.add(field.name)
    return tuple(sorted(found))
