"""Names derived by general rules: PascalCase classes, singular item names, environment variables."""

from __future__ import annotations

import re

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b)|[A-Z]?[a-z]+|[A-Z]+|\d+")


def words(text: str) -> list[str]:
    return _WORDS.findall(text)


def pascal(text: str) -> str:
    """``chat.completion`` -> ``ChatCompletion``; ``top_logprobs`` -> ``TopLogprobs``."""
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
