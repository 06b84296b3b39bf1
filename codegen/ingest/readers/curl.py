"""Reader of curl commands in code fences: URL, headers and the request body they send."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Any

from ...errors import SpecgenError
from ..markdown import Fence
from .text import word_list

_CURL_START = re.compile(r"^\s*(?:\$\s*)?curl\b")
_DATA_FLAG = re.compile(r"(?:^|\s)(?:-d|--data(?:-raw|-binary|-ascii)?|--json)(?:[\s=]|$)")
_DATA_OPTIONS = frozenset({"-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json"})


@dataclass
class Curl:
    url: str | None
    url_line: int
    headers: list[tuple[str, str, int]] = field(default_factory=list)
    data: str | None = None
    data_line: int = 0
    is_json_flag: bool = False
    method: str | None = None


def fence_line(fence: Fence, pattern: re.Pattern[str]) -> int:
    for index, text in enumerate(fence.content.splitlines()):
        if pattern.search(text):
            return fence.first_line + index
    return fence.opening_line


def parse_curl(fence: Fence, file: str) -> Curl:
    text = fence.content.replace("\\\n", " ")
    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        raise SpecgenError(
            f"cannot read the curl command: {exc}", file=file, line=fence.opening_line
        ) from None
    curl = Curl(url=None, url_line=fence.opening_line)
    start = next((i for i, token in enumerate(tokens) if token == "curl"), None)
    if start is None:
        return curl
    index = start + 1
    while index < len(tokens):
        token = tokens[index]
        value = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token in {"|", "&&", ";", "||"}:
            break
        if token in {"-H", "--header"}:
            name, colon, header_value = value.partition(":")
            if colon:
                line = fence_line(fence, re.compile(re.escape(name.strip()), re.I))
                curl.headers.append((name.strip(), header_value.strip(), line))
            index += 2
            continue
        if token in {"-X", "--request"} or (token.startswith("-X") and len(token) > 2):
            curl.method = (value if token in {"-X", "--request"} else token[2:]).lower()
            index += 2 if token in {"-X", "--request"} else 1
            continue
        if token.split("=", 1)[0] in _DATA_OPTIONS and curl.data is None:
            inline = "=" in token and token.startswith("--")
            curl.data = token.split("=", 1)[1] if inline else value
            curl.data_line = fence_line(fence, _DATA_FLAG)
            curl.is_json_flag = token.startswith("--json")
            index += 1 if inline else 2
            continue
        if token == "--url" or (token.startswith(("http://", "https://")) and curl.url is None):
            curl.url = value if token == "--url" else token
            curl.url_line = fence_line(fence, re.compile(re.escape(curl.url)))
            index += 2 if token == "--url" else 1
            continue
        index += 1
    return curl


def is_curl_fence(fence: Fence) -> bool:
    return any(_CURL_START.match(text) for text in fence.content.splitlines()[:3])


_AUTH_HEADER = re.compile(r"key|token|secret|auth", re.I)


def auth_scheme(name: str, value: str) -> tuple[str | None, dict[str, Any]]:
    """The security scheme a curl header sends (``Authorization: Bearer ...``, ``x-api-key: ...``),
    named for the header; (None, {}) for a header that carries no credentials."""
    if name.lower() == "authorization":
        word, _space, rest = value.partition(" ")
        if rest and re.fullmatch(r"[A-Za-z][A-Za-z0-9\-]*", word):
            scheme = word.lower()
            return f"{scheme}Auth", {"type": "http", "scheme": scheme}
    elif not _AUTH_HEADER.search(name):
        return None, {}
    # Named from the header, without the "x-" that would make the name read as an extension.
    words = word_list(name)
    if len(words) > 1 and words[0] == "x":
        words = words[1:]
    scheme_name = words[0] + "".join(word.capitalize() for word in words[1:]) + "Auth"
    return scheme_name, {"type": "apiKey", "in": "header", "name": name}
