"""Stage 3, the IR: small frozen types (``model``) and the merge of all documents into one API."""

from .merge import MergeResult, merge
from .model import API

__all__ = ["API", "MergeResult", "merge"]
