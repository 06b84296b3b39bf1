"""The extension keys normalize leaves in a document for the merge: data, not comments.

A rule that cannot repair something from one document's own evidence marks it here, and the
merge (codegen.ir) fills it from the documents that know, or reports it.
"""

UNKNOWN = "x-specgen-unknown"
"""On a schema: ``"shape"`` (empty union/object) or ``"type"`` (null-only with no evidence)."""

MISSING = "x-specgen-missing"
"""On a response media type: the document lacks this schema; the merge must fill it."""

ASSUMED = "x-specgen-assumed"
"""On an error response: its body schema is the standard error envelope, assumed, not documented."""

ERROR_CATALOGUE = "x-specgen-error-catalogue"
"""On an operation: in-body error codes [{code, name, meaning}] a 2xx body may carry instead."""

STREAM = "x-specgen-stream"
"""On a ``text/event-stream`` media type: {"terminator": "[DONE]"}; its ``schema`` is one event's
``data`` (the chunk), its ``examples`` the parsed chunk list."""

JUNK = "x-specgen-junk"
"""On any object: {field: text} of descriptions/titles judged copied from elsewhere; kept for
the record, never rendered."""
