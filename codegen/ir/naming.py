"""Names derived by general rules: PascalCase classes, singular item names, environment variables."""

from __future__ import annotations

import re
from functools import lru_cache

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b)|[A-Z]?[a-z]+|[A-Z]+|\d+")


def words(text: str) -> list[str]:
    return _WORDS.findall(text)


@lru_cache(maxsize=8192)
def pascal(text: str) -> str:
    """``chat.completion`` -> ``ChatCompletion``; ``top_logprobs`` -> ``TopLogprobs``.

    Cached: the merge asks for the same few hundred names tens of thousands of times."""
    return "".join(word[:1].upper() + word[1:] for word in words(text))


def camel(text: str) -> str:
    name = pascal(text)
    return name[:1].lower() + name[1:]


def snake(text: str) -> str:
    return "_".join(word.lower() for word in words(text))


def singular(word: str) -> str:
    """English plural to singular for identifiers, conservatively: unknown forms stay."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if re.search(r"(ss|sh|ch|x|z)es$", lower):
        return word[:-2]
    if lower.endswith(("ss", "us", "is")) or not lower.endswith("s") or len(word) < 3:
        return word
    return word[:-1]


def env_var(vendor: str) -> str:
    """``deepseek`` -> ``DEEPSEEK_API_KEY``."""
    return re.sub(r"[^A-Z0-9]+", "_", vendor.upper()).strip("_") + "_API_KEY"


_GENERIC_NUMBERED = re.compile(
    r"^(?:schema|model|object|type|definition|body|inline|anonymous|response|request|item)"
    r"[\W_]*\d+$",
    re.IGNORECASE,
)
_ID_LIKE = re.compile(
    r"\d{3,}"  # long numbers: ids, timestamps
    r"|[0-9a-f]{8,}"  # hashes
    r"|\d[a-z]+\d|[a-z]\d+[a-z]+\d"  # letters and digits interleaved: a1b2c3
    r"|^\d+[a-z]"  # a part starting with digits then letters: 9f
    r"|[a-z]\d{2,}$",  # a word ending in a number: Xyz42, Schema17
    re.IGNORECASE,
)


def looks_generated(name: str) -> bool:
    """A component name a tool made up (``Schema12``, ``inline_response_200``, ``Err_9f``, a
    hash), which says nothing of what the schema is."""
    if not words(name) or _GENERIC_NUMBERED.match(name) or "inline_" in name.lower():
        return True
    return any(_ID_LIKE.search(part) for part in re.split(r"[^0-9A-Za-z]+", name) if part)
