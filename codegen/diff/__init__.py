"""``specgen diff``: the API-level changes between two sets of documents, each classified breaking
or not for a caller of the generated client (see ``rules`` for the table)."""

from .api import diff_apis
from .change import Change
from .output import summary_line, to_json, to_markdown, to_text
from .rules import RULES, Rule
from .sources import load_side, side_paths

__all__ = [
    "RULES",
    "Change",
    "Rule",
    "diff_apis",
    "load_side",
    "side_paths",
    "summary_line",
    "to_json",
    "to_markdown",
    "to_text",
]
