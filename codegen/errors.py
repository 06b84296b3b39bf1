"""The one exception type that reaches the CLI: a user-facing, one-line problem with a location."""

from __future__ import annotations


class SpecgenError(Exception):
    """A problem with the user's input, printed as one line: ``file:line: message`` (or
    ``file:line:column: message`` where the column is known).

    Anything else escaping to the CLI is a bug in specgen; this is the user's document talking.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        pointer: str | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.pointer = pointer
        self.column = column

    def __str__(self) -> str:
        where = self.file or ""
        if self.file and self.line:
            where = f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")
        if self.pointer:
            where = f"{where} at {self.pointer}" if where else self.pointer
        return f"{where}: {self.message}" if where else self.message


class OperationError(SpecgenError):
    """A problem with one operation of the merged API, found after the merge (when rendering).

    The IR no longer knows files and lines; the build finds the operation in the documents that
    describe it and names the first one's file, line and pointer.
    """

    def __init__(self, message: str, *, method: str, path: str, documents: tuple[str, ...]) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.documents = documents
