"""Stage 3, merge: all normalized documents into one API, keeping which document said what.

Operations are matched by method and path suffix (the vendor's prefix moves into its base URL);
schemas are matched by their place (request body, success body, stream chunk, error body), not by
name. Input order does not matter: documents are taken in name order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import msgspec

from ..jsonpointer import escape
from ..lifetime import keep_until_exit
from ..normalize import NormalizedDocument
from ..normalize.marks import ASSUMED, ERROR_CATALOGUE, MISSING, STREAM
from ..openapi_walk import iter_operations
from ..report import Finding
from .build import MERGE_DOCUMENT, BuildContext, Registry, build_root, build_type, object_tag_name
from .build_memo import with_other_places
from .dereference import dereference
from .emit import REFERENCE_EXTENSION
from .equal_models import merge_equal_models
from .error_kinds import error_kind
from .media import body_kind, file_fields, request_encoding, response_kind
from .model import (
    API,
    BodyEncoding,
    BodySpec,
    ErrorSpec,
    FieldBounds,
    InBodyError,
    KnownValues,
    Model,
    ModelRef,
    Operation,
    ResponseKind,
    ResponseSpec,
    ScalarType,
    StreamSpec,
    TypeNode,
    VendorProfile,
)
from .naming import env_var, pascal
from .pagination import detect_pagination
from .parameters import declared_parameters, merge_parameters
from .security import operation_security
from .shapes import DOCUMENTS, Shape, ShapeMemo, add_schema
from .vendors import read_vendor_extension
from .views import Views

REFERENCE_VENDOR = "(reference)"
_NO_BODY_METHODS = frozenset({"get", "head", "trace"})
_ANSWER_PREFERENCE: tuple[ResponseKind, ...] = ("json", "binary", "text", "sse")
JSON_MEDIA = "application/json"
STREAM_MEDIA = "text/event-stream"


class MergeResult(msgspec.Struct, frozen=True):
    api: API
    findings: tuple[Finding, ...]


class _Source(msgspec.Struct):
    """One document's view of one matched operation (``path`` is below the document's prefix)."""

    document: NormalizedDocument
    openapi: dict[str, Any]
    path: str
    method: str
    operation: dict[str, Any]
    item: dict[str, Any]
    """The path item: parameters shared by its operations."""
    prefix: str = ""
    """Leading segments every path of the document shares (they move into the base URL)."""
    pointer: str = ""


@cache
def _segments(path: str) -> tuple[str, ...]:
    return tuple(segment for segment in path.strip("/").split("/") if segment)


def _shape(segment: str) -> str:
    """A segment as paths are compared: every parameter is the same, whatever its name."""
    return "{}" if segment.startswith("{") and segment.endswith("}") else segment


def _common_suffix(paths: Iterable[str]) -> list[str]:
    """The trailing segments the paths share (``{batch_id}`` and ``{batchId}`` are one), in the
    first path's spelling."""
    split = [_segments(p) for p in paths]
    suffix: list[str] = []
    for parts in zip(*(reversed(s) for s in split), strict=False):
        if len({_shape(part) for part in parts}) != 1:
            break
        suffix.insert(0, parts[0])
    return suffix


def _same_operation(a: str, b: str) -> bool:
    """Paths name one operation when one ends with the other or they share two trailing segments,
    one of them static: parameters alone (``/{group}/{id}``) say nothing of what a path is."""
    sa, sb = [_shape(x) for x in _segments(a)], [_shape(x) for x in _segments(b)]
    shorter, longer = sorted((sa, sb), key=len)
    suffix = [_shape(x) for x in _common_suffix([a, b])]
    # What precedes the shared ending becomes a base URL: it cannot hold a parameter.
    if any(segment == "{}" for segment in sa[: len(sa) - len(suffix)]):
        return False
    if any(segment == "{}" for segment in sb[: len(sb) - len(suffix)]):
        return False
    if shorter and longer[-len(shorter) :] == shorter:
        return any(segment != "{}" for segment in shorter)
    return len(suffix) >= 2 and any(segment != "{}" for segment in suffix)


def _renamed_path_parameters(path: str, suffix: str) -> dict[str, str]:
    """A source's own names of the merged path's parameters: ``{batchId}`` -> ``batch_id``."""
    own = [s[1:-1] for s in _segments(path) if s.startswith("{")]
    merged = [s[1:-1] for s in _segments(suffix) if s.startswith("{")]
    if not merged:
        return {}
    return {
        mine: theirs
        for mine, theirs in zip(own[-len(merged) :], merged, strict=False)
        if mine != theirs
    }


def document_prefix(paths: Iterable[str]) -> str:
    """The leading static segments all of a document's paths share, when the paths branch below
    them: ``/api/chat`` and ``/api/tags`` live under ``/api``, which names no resource."""
    split = [_segments(p) for p in paths]
    if len(split) < 2:
        return ""
    prefix: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1 or parts[0].startswith("{"):
            break
        prefix.append(parts[0])
    # Every path keeps a static segment of its own below the prefix, and they do not all agree.
    while prefix and not (
        all(any(not s.startswith("{") for s in parts[len(prefix) :]) for parts in split)
        and len({parts[len(prefix)] for parts in split}) >= 2
    ):
        prefix.pop()
    return "/" + "/".join(prefix) if prefix else ""


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
    """Two paths of one document are one operation only when it is served under several
    prefixes: static prefixes before one shared ending, with the same body and answers."""
    if member.document.name != source.document.name:
        return True
    suffix = _common_suffix([member.path, source.path])
    for path in (member.path, source.path):
        leading = _segments(path)[: len(_segments(path)) - len(suffix)]
        if any(segment.startswith("{") for segment in leading):
            return False  # a parameter is no prefix: `/group/{id}/sse` is not `/sse` again
    same = ("requestBody", "responses")
    return all(member.operation.get(key) == source.operation.get(key) for key in same)


def _served_twice(member: _Source, source: _Source) -> bool:
    """One path of a document ends with another: the same operation under a prefix."""
    shorter, longer = sorted((_segments(member.path), _segments(source.path)), key=len)
    return len(shorter) < len(longer) and longer[-len(shorter) :] == shorter


def _group_operations(documents: Sequence[NormalizedDocument]) -> list[list[_Source]]:
    groups: list[list[_Source]] = []
    # Paths name one operation only if their last segments are alike (see _same_operation):
    # each path is compared with the groups of its method and ending only.
    alike: dict[tuple[str, str | None], list[list[_Source]]] = {}
    for document in documents:
        resolved = dereference(document.openapi)
        found = list(iter_operations(resolved))
        prefix = document_prefix(path for _p, path, _m, _o in found)
        for pointer, path, method, operation in found:
            item = (resolved.get("paths") or {}).get(path)
            source = _Source(
                document,
                resolved,
                path[len(prefix) :] or "/",
                method,
                operation,
                item if isinstance(item, dict) else {},
                prefix,
                pointer,
            )
            # A document's distinct operations stay distinct, and a path joins the operation it
            # shares the longest ending with: `/completions` must not swallow `/chat/completions`.
            # The cheap tests first: `_may_join` compares bodies and answers.
            segments = _segments(source.path)
            bucket = alike.setdefault((method, _shape(segments[-1]) if segments else None), [])
            candidates = [
                group
                for group in bucket
                if any(_same_operation(member.path, source.path) for member in group)
                and all(_may_join(member, source) for member in group)
                and (
                    all(member.document.name != document.name for member in group)
                    or any(
                        _served_twice(member, source)
                        for member in group
                        if member.document.name == document.name
                    )
                )
            ]
            if candidates:
                best = max(
                    candidates,
                    key=lambda group: max(
                        len(_common_suffix([member.path, source.path])) for member in group
                    ),
                )
                best.append(source)
            else:
                groups.append([source])
                bucket.append(groups[-1])
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
    memo = ShapeMemo()
    registry = Registry()
    operations: list[Operation] = []
    profiles_input: dict[str, dict[str, Any]] = {}
    contexts: list[BuildContext] = []
    groups = [
        group
        for group in _group_operations([*vendor_docs, *reference_docs])
        if not all(source.document.name in references for source in group)
    ]
    chosen = _settle_prefixes(groups, references, findings)
    views = Views()
    for group in groups:
        operation, group_contexts = _merge_operation(
            group, vendor_of, references, registry, findings, memo, views
        )
        operations.append(operation)
        contexts.extend(group_contexts)
        for source in group:
            if source.document.name in references:
                continue
            entry = profiles_input.setdefault(
                source.document.vendor, {"documents": [], "prefixes": {}}
            )
            entry["documents"].append(source)
            entry["prefixes"][source.document.name] = chosen[source.document.name]
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
    models, aliases, merged_operations = (
        tuple(registry.models.values()),
        tuple(registry.aliases.values()),
        tuple(operations),
    )
    if registry.holds_recursive:
        models, aliases, merged_operations = merge_equal_models(models, aliases, merged_operations)
    api = API(
        title=title,
        version=version,
        models=models,
        aliases=aliases,
        operations=merged_operations,
        vendors=vendors,
        documents=tuple(sorted({doc for op in operations for doc in op.documents})),
        reference_documents=tuple(sorted(references)),
    )
    result = MergeResult(api=api, findings=with_other_places(findings, registry.memo))
    keep_until_exit(memo, registry, views, contexts, groups)
    return result


def _group_suffix(group: list[_Source], references: frozenset[str]) -> str:
    vendor_sources = [s for s in group if s.document.name not in references] or group
    return "/" + "/".join(_common_suffix(s.path for s in vendor_sources))


def _leading(path: str, suffix: str) -> str:
    """What comes before ``suffix`` in ``path`` (they end alike, parameter names aside)."""
    segments = _segments(path)
    keep = len(segments) - len(_segments(suffix))
    return "/" + "/".join(segments[:keep]) if keep > 0 else ""


def _settle_prefixes(
    groups: list[list[_Source]], references: frozenset[str], findings: list[Finding]
) -> dict[str, str]:
    """One path prefix per document, which every one of its operations is called under.

    Where documents meet on an operation (``/v1/chat/completions`` and ``/chat/completions``),
    the part before the shared path is the document's prefix; that outweighs what a lone
    operation implies. A lone operation under the chosen prefix loses it from its path.
    """
    votes: dict[str, dict[str, int]] = {}
    for group in groups:
        suffix = _group_suffix(group, references)
        members = [s for s in group if s.document.name not in references]
        for source in members:
            extra = _leading(source.path, suffix)
            tally = votes.setdefault(source.document.name, {})
            tally[extra] = tally.get(extra, 0) + (1000 if len(members) > 1 else 1)
    chosen: dict[str, str] = {}
    for document, tally in votes.items():
        extra = sorted(tally.items(), key=lambda item: (-item[1], item[0]))[0][0]
        chosen[document] = extra
    # A path the document also has unprefixed keeps its prefix: they are two operations.
    taken = {(s.method, s.path) for group in groups for s in group}
    for group in groups:
        members = [s for s in group if s.document.name not in references]
        if len(members) != 1:
            continue
        source = members[0]
        extra = chosen[source.document.name]
        stripped = source.path[len(extra) :]
        if extra and source.path.startswith(extra + "/") and (source.method, stripped) not in taken:
            source.path = stripped
        elif extra:
            findings.append(
                Finding(
                    "path-prefixes-differ",
                    "warning",
                    MERGE_DOCUMENT,
                    source.pointer,
                    f"{source.document.name}: {source.path} is not under the prefix {extra!r} "
                    "its other operations share; it is called from the same base URL",
                )
            )
    return {document: _full_prefix(groups, document) + extra for document, extra in chosen.items()}


def _full_prefix(groups: list[list[_Source]], document: str) -> str:
    for group in groups:
        for source in group:
            if source.document.name == document:
                return source.prefix
    return ""


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
    memo: ShapeMemo,
    views: Views,
) -> tuple[Operation, list[BuildContext]]:
    vendor_sources = [s for s in group if s.document.name not in references] or group
    suffix = "/" + "/".join(_common_suffix(s.path for s in vendor_sources))
    if suffix != "/" and all(s.path.endswith("/") for s in vendor_sources):
        suffix += "/"  # `/deploy/list/` and `/deploy/list` are two URLs
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
    bodies: list[tuple[str, BodyEncoding, str, tuple[str, ...]]] = []
    files: set[str] = set()
    successes: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    error_shapes: dict[int, Shape] = {}
    error_info: dict[int, dict[str, Any]] = {}
    terminators: set[str | None] = set()
    for source in group:
        name = source.document.name
        operation = source.operation
        body = operation.get("requestBody") or {}
        content = body.get("content") if isinstance(body, dict) else None
        chosen_body = request_encoding(content) if isinstance(content, dict) and content else None
        if chosen_body is not None:
            encoding, media_type, others = chosen_body
            bodies.append((name, encoding, media_type, others))
            media = content[media_type]  # type: ignore[index]
            if encoding in ("json", "form", "multipart") and isinstance(media, dict):
                schema = media.get("schema")
                if isinstance(schema, dict):
                    seen = views.view(schema, "request")
                    request_shape = add_schema(
                        request_shape, seen, name, _media_examples(media), memo
                    )
                    files.update(file_fields(schema))
        responses = operation.get("responses") or {}
        for code, answer in responses.items():
            if str(code).isdigit() and str(code).startswith("2") and isinstance(answer, dict):
                successes.setdefault(int(code), []).append((name, answer))
        status = _success_status(responses)
        if status is not None:
            content = responses[status].get("content") or {}
            json_media = _json_media(content)
            if (
                isinstance(json_media, dict)
                and "schema" in json_media
                and not json_media.get(MISSING)
            ):
                response_shape = add_schema(
                    response_shape,
                    views.view(json_media["schema"], "response"),
                    name,
                    _media_examples(json_media),
                    memo,
                )
            stream_media = content.get(STREAM_MEDIA)
            if isinstance(stream_media, dict) and isinstance(stream_media.get("schema"), dict):
                chunk_shape = add_schema(
                    chunk_shape,
                    views.view(stream_media["schema"], "response"),
                    name,
                    _media_examples(stream_media),
                    memo,
                )
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
                error_shapes[number] = add_schema(
                    error_shapes.setdefault(number, Shape()),
                    media["schema"],
                    name,
                    _media_examples(media),
                    memo,
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
        request_ref = _named(
            build_type(request_shape, request_context, path=f"/{root}", candidates=[root]),
            registry,
            [root],
        )
        contexts.append(request_context)
    response_ref = None
    response_type: TypeNode | None = None
    if response_shape.documents:
        root = _root_name(response_shape) or f"{noun}Response"
        response_type = build_type(
            response_shape,
            context("response", root),
            path=f"/{root}",
            candidates=[root, f"{noun}Response"],
        )
        response_ref = response_type if isinstance(response_type, ModelRef) else None
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
    vendor_names = set(_declared_operation_documents(vendor_sources) or documents)
    parameters = merge_parameters(
        (
            _with_merged_names(
                s.document.name, s.path, suffix, declared_parameters(s.item, s.operation)
            )
            for s in vendor_sources
        ),
        vendor_names,
        lambda: context("request", pascal(operation_id)),
        pascal(operation_id),
        skip_headers=_api_key_headers(vendor_sources),
    )
    for parameter in parameters:
        if parameter.location == "cookie":
            findings.append(
                Finding(
                    "cookie-parameter-not-sent",
                    "warning",
                    MERGE_DOCUMENT,
                    f"/paths/{escape(suffix)}/{group[0].method}/parameters",
                    f"cookie parameter {parameter.name!r} has no argument: the client does not "
                    "manage cookies (send it with extra_headers={'Cookie': ...})",
                )
            )
    body = _body_spec(bodies, files, references)
    if body is not None and group[0].method in _NO_BODY_METHODS:
        findings.append(
            Finding(
                "body-on-get",
                "warning",
                MERGE_DOCUMENT,
                f"/paths/{escape(suffix)}/{group[0].method}/requestBody",
                f"a {group[0].method.upper()} request documents a body; HTTP gives it no "
                "meaning and proxies drop it, so the client does not send it (pass it with "
                "extra_body if the server needs it)",
            )
        )
        body, request_ref = None, None
    successes_spec = _success_specs(successes, response_type, stream, references)
    successes_spec = _bare_strings_as_bytes(successes_spec, suffix, group[0].method, findings)
    pagination = None
    if (
        group[0].method == "get"
        and response_ref is not None
        and response_ref.name in registry.models
    ):
        pagination = detect_pagination(
            registry.models[response_ref.name], parameters, registry.models
        )
    merged = Operation(
        id=operation_id,
        method=group[0].method,
        path=suffix,
        summary=_choose((s.document.name, s.operation.get("summary")) for s in vendor_sources),
        description=_choose(
            (s.document.name, s.operation.get("description")) for s in vendor_sources
        ),
        request=request_ref,
        request_required=body is not None
        and any(
            bool((s.operation.get("requestBody") or {}).get("required")) for s in vendor_sources
        ),
        response=response_ref,
        stream=stream,
        errors=tuple(errors),
        documents=_declared_operation_documents(vendor_sources) or documents,
        parameters=parameters,
        body=body,
        responses=successes_spec,
        pagination=pagination,
        security=tuple(
            dict.fromkeys(
                scheme
                for s in vendor_sources
                for scheme in operation_security(s.openapi, s.operation)
            )
        ),
        tags=tuple(
            dict.fromkeys(str(tag) for s in vendor_sources for tag in s.operation.get("tags") or [])
        ),
        deprecated=all(s.operation.get("deprecated") is True for s in vendor_sources),
    )
    return merged, contexts


def _with_merged_names(
    document: str, path: str, suffix: str, parameters: list[dict[str, Any]]
) -> tuple[str, str, list[dict[str, Any]]]:
    """A source's parameters with its path parameters under the merged path's names."""
    renames = _renamed_path_parameters(path, suffix)
    if not renames:
        return document, path, parameters
    renamed = [
        {**p, "name": renames[p["name"]]}
        if p.get("in") == "path" and p.get("name") in renames
        else p
        for p in parameters
    ]
    for mine, theirs in renames.items():
        path = path.replace("{" + mine + "}", "{" + theirs + "}")
    return document, path, renamed


def _named(node: TypeNode, registry: Registry, candidates: list[str]) -> ModelRef | None:
    """A body that is not an object (a union, an array) is named as an alias, so that the
    client can take it whole."""
    if isinstance(node, ModelRef):
        return node
    return ModelRef(name=registry.add_alias(candidates, node, None))


def _json_media(content: dict[str, Any]) -> Any:
    """The JSON media of a content map: ``application/json`` first, then any ``+json`` type."""
    if JSON_MEDIA in content:
        return content[JSON_MEDIA]
    for media_type in sorted(content):
        if body_kind(str(media_type)) == "json":
            return content[media_type]
    return None


def _api_key_headers(sources: list[_Source]) -> frozenset[str]:
    """Header names the documents' API-key schemes use: the profile sends them, not the caller."""
    names: set[str] = set()
    for source in sources:
        schemes = (source.openapi.get("components") or {}).get("securitySchemes") or {}
        for scheme in schemes.values() if isinstance(schemes, dict) else []:
            if (
                isinstance(scheme, dict)
                and scheme.get("type") == "apiKey"
                and scheme.get("in") == "header"
                and isinstance(scheme.get("name"), str)
            ):
                names.add(scheme["name"].lower())
    return frozenset(names)


def _body_spec(
    bodies: list[tuple[str, BodyEncoding, str, tuple[str, ...]]],
    files: set[str],
    references: frozenset[str],
) -> BodySpec | None:
    """The body the vendors' documents agree on sending; JSON wins where they differ."""
    vendor = [b for b in bodies if b[0] not in references] or bodies
    if not vendor:
        return None
    order = ("json", "multipart", "form", "binary", "text")
    _doc, encoding, media_type, _others = min(vendor, key=lambda b: (order.index(b[1]), b[0]))
    alternatives = sorted({m for b in vendor for m in (b[2], *b[3])} - {media_type})
    return BodySpec(
        encoding=encoding,
        media_type=media_type,
        file_fields=tuple(sorted(files)) if encoding == "multipart" else (),
        alternatives=tuple(alternatives),
    )


def _success_specs(
    successes: dict[int, list[tuple[str, dict[str, Any]]]],
    json_type: TypeNode | None,
    stream: StreamSpec | None,
    references: frozenset[str],
) -> tuple[ResponseSpec, ...]:
    """Each success status with its kind of body: the JSON type merged above, else bytes, text,
    a stream, or nothing (204)."""
    first_json = True
    specs: list[ResponseSpec] = []
    for status in sorted(successes):
        answers = [a for d, a in successes[status] if d not in references] or [
            a for _d, a in successes[status]
        ]
        # In the documents' order: the first one listed is the one they lead with.
        media_types = list(dict.fromkeys(str(m) for a in answers for m in (a.get("content") or {})))
        kinds = {m: response_kind(m) for m in media_types}
        description = _choose((str(i), a.get("description")) for i, a in enumerate(answers))
        # One kind per status, the most structured one documented.
        kind: ResponseKind = next((k for k in _ANSWER_PREFERENCE if k in kinds.values()), "empty")
        media = next((m for m, k in kinds.items() if k == kind), None)
        typed = json_type if kind == "json" and first_json else None
        first_json = first_json and kind != "json"
        specs.append(ResponseSpec(status, kind, media, typed, description))
    return tuple(specs)


def _bare_strings_as_bytes(
    specs: tuple[ResponseSpec, ...], path: str, method: str, findings: list[Finding]
) -> tuple[ResponseSpec, ...]:
    """A JSON answer that is only a string is, on real servers, the body itself (a file's
    content): read as bytes, which keeps text readable and binary intact."""
    result = []
    for spec in specs:
        node = spec.type
        if (
            spec.kind == "json"
            and isinstance(node, ScalarType)
            and node.kind == "string"
            and not node.enum
        ):
            findings.append(
                Finding(
                    "bare-string-answer",
                    "repair",
                    MERGE_DOCUMENT,
                    f"/paths/{escape(path)}/{method}/responses/{spec.status}",
                    f"the {spec.status} answer is documented as {spec.media_type} holding one "
                    "string: read as the body's bytes (`.read()`, `.text()`)",
                )
            )
            spec = ResponseSpec(spec.status, "binary", None, None, spec.description)
        result.append(spec)
    return tuple(result)


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
    merged_required = {path for context in contexts for path in context.merged_required}
    top_level = sorted({_field_path(p) for p in required - merged_required if p.count("/") == 2})
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
                        kind=error_kind(item.get("status"), item.get("name"), item.get("meaning")),
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
                if scheme.get("type") == "apiKey" and scheme.get("in") == "query":
                    return "api-key-query", str(scheme.get("name"))
                if (
                    scheme.get("type") == "http"
                    and str(scheme.get("scheme", "")).lower() == "basic"
                ):
                    return "basic", "Authorization"
                if scheme.get("type") in ("oauth2", "openIdConnect"):
                    return "bearer", "Authorization"  # an access token, sent as a bearer
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
