"""Placeholder while this reader is being written; claims nothing."""

from __future__ import annotations

from .reader import ReaderOutput
from .source import SourceText

NAME = "markdown"


def claims(source: SourceText) -> bool:
    return False


def read(source: SourceText) -> ReaderOutput:
    raise NotImplementedError
