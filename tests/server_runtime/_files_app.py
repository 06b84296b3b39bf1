"""A small files API built with the server runtime: parameters, form and binary bodies, answers.

Run as `python -m tests.server_runtime._files_app <runtime package> [--port N]` it serves the
app through the runtime's `main`, as a generated `server.py` does.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any, Literal

from fastapi import FastAPI
from pydantic import BaseModel, Field

PREFIX = "/v1"
PDF = b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary \r\n tail"
"""File content with bytes that are not UTF-8 and line endings that must survive as sent."""
SPEECH_PARTS = (b"ID3\x04\x00", b"\xff\xfb\x90\x00" * 64, b"\x00end")


class FileObject(BaseModel):
    id: str
    filename: str | None = None
    bytes: int
    purpose: str
    tags: list[str] = []
    sha: str | None = Field(default=None, alias="contentHash")


class FileList(BaseModel):
    data: list[FileObject]
    has_more: bool = False


class UploadRequest(BaseModel):
    """A multipart upload: the file part and the other fields."""

    file: bytes
    purpose: Literal["assistants", "batch", "fine-tune"]
    tags: list[str] = []
    expires_after: int | None = Field(default=None, ge=1)


class FeedbackForm(BaseModel):
    """An application/x-www-form-urlencoded body."""

    rating: int = Field(ge=1, le=5)
    comment: str | None = None
    labels: list[str] = []
    public: bool = False


class SpeechRequest(BaseModel):
    input: str
    voice: Literal["alloy", "echo"] = "alloy"


class ThreadRequest(BaseModel):
    """A body whose fields are all optional: sending none is fine."""

    title: str | None = None


class Thread(BaseModel):
    id: str
    title: str | None = None


def operations(server: ModuleType) -> dict[str, Any]:
    """Every Operation of the files API, by handler method name."""
    parameter = server.Parameter
    file_id = parameter("file_id", "file_id", "path", str, required=True)
    return {
        # Declared before /files/search on purpose: the runtime must still route search first.
        "retrieve": server.Operation(
            method="GET",
            path="/files/{file_id}",
            response_model=FileObject,
            operation_id="retrieveFile",
            parameters=(
                file_id,
                parameter(
                    "OpenAI-Beta",
                    "openai_beta",
                    "header",
                    Literal["assistants=v2"] | None,
                    description="Opt in to beta behaviour.",
                ),
                parameter("session", "session", "cookie", str | None),
                parameter("X-Trace-Ids", "trace_ids", "header", list[int] | None),
            ),
        ),
        "search": server.Operation(
            method="GET",
            path="/files/search",
            response_model=FileList,
            operation_id="searchFiles",
            parameters=(parameter("q", "query", "query", str, required=True),),
        ),
        "list": server.Operation(
            method="GET",
            path="/files",
            response_model=FileList,
            operation_id="listFiles",
            parameters=(
                parameter("limit", "limit", "query", int | None),
                parameter("order", "order", "query", Literal["asc", "desc"] | None),
                parameter("include_deleted", "include_deleted", "query", bool | None),
                parameter("ids", "ids", "query", list[str] | None),
                parameter("purposes", "purposes", "query", list[str] | None, style="form_csv"),
                parameter("sizes", "sizes", "query", list[int] | None, style="pipe"),
                parameter("words", "words", "query", list[str] | None, style="space"),
                parameter(
                    "metadata", "metadata", "query", dict[str, str] | None, style="deep_object"
                ),
                parameter("before", "before", "query", str | None, deprecated=True),
            ),
        ),
        "upload": server.Operation(
            method="POST",
            path="/files",
            request_model=UploadRequest,
            body_encoding="multipart",
            body_required=True,
            response_model=FileObject,
            success_status=201,
            operation_id="createFile",
        ),
        "content": server.Operation(
            method="GET",
            path="/files/{file_id}/content",
            response_kind="binary",
            response_media_type="application/pdf",
            operation_id="downloadFile",
            parameters=(file_id,),
        ),
        "replace": server.Operation(
            method="PUT",
            path="/files/{file_id}/content",
            body_encoding="binary",
            body_required=True,
            response_model=FileObject,
            operation_id="replaceFileContent",
            parameters=(file_id,),
        ),
        "delete": server.Operation(
            method="DELETE",
            path="/files/{file_id}",
            response_kind="empty",
            operation_id="deleteFile",
            parameters=(file_id,),
        ),
        "speech": server.Operation(
            method="POST",
            path="/audio/speech",
            request_model=SpeechRequest,
            response_kind="binary",
            response_media_type="audio/mpeg",
            operation_id="createSpeech",
        ),
        "feedback": server.Operation(
            method="POST",
            path="/feedback",
            request_model=FeedbackForm,
            body_encoding="form",
            response_model=dict[str, Any],
            operation_id="sendFeedback",
        ),
        "shout": server.Operation(
            method="POST",
            path="/shout",
            body_encoding="text",
            response_kind="text",
            operation_id="shout",
        ),
        "create_thread": server.Operation(
            method="POST",
            path="/threads",
            request_model=ThreadRequest,
            response_model=Thread,
            operation_id="createThread",
        ),
        "thumbnail": server.Operation(
            method="GET",
            path="/files/{file_id}/thumbnail",
            response_kind="binary",
            response_media_type="image/png",
            operation_id="fileThumbnail",
            parameters=(file_id,),
        ),
        "batch": server.Operation(
            method="POST",
            path="/batches",
            request_model=ThreadRequest,
            response_model=Thread,
            operation_id="createBatch",
        ),
    }


class FilesHandler:
    """Keeps uploaded files in memory and records every call's arguments in `calls`."""

    def __init__(self, server: ModuleType) -> None:
        self.server = server
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self.files: dict[str, tuple[FileObject, bytes]] = {
            "file-1": (FileObject(id="file-1", bytes=len(PDF), purpose="assistants"), PDF)
        }

    def _record(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.calls.append((name, args, kwargs))

    async def retrieve(
        self,
        *,
        file_id: str,
        openai_beta: str | None = None,
        session: str | None = None,
        trace_ids: list[int] | None = None,
    ) -> FileObject:
        self._record(
            "retrieve",
            file_id=file_id,
            openai_beta=openai_beta,
            session=session,
            trace_ids=trace_ids,
        )
        if file_id not in self.files:
            raise self.server.NotFound(f"No such file: {file_id}", param="file_id")
        return self.files[file_id][0]

    async def search(self, *, query: str) -> FileList:
        self._record("search", query=query)
        found = [obj for obj, _ in self.files.values() if query in obj.id]
        return FileList(data=found)

    async def list(self, **params: Any) -> FileList:
        self._record("list", **params)
        return FileList(data=[obj for obj, _ in self.files.values()])

    async def upload(self, request: UploadRequest) -> FileObject:
        self._record("upload", request)
        file_id = f"file-{len(self.files) + 1}"
        obj = FileObject(
            id=file_id, bytes=len(request.file), purpose=request.purpose, tags=request.tags
        )
        self.files[file_id] = (obj, request.file)
        return obj

    async def content(self, *, file_id: str) -> bytes:
        self._record("content", file_id=file_id)
        if file_id not in self.files:
            raise self.server.NotFound(f"No such file: {file_id}", param="file_id")
        return self.files[file_id][1]

    async def replace(self, body: bytes, *, file_id: str) -> FileObject:
        self._record("replace", body, file_id=file_id)
        obj = self.files[file_id][0].model_copy(update={"bytes": len(body)})
        self.files[file_id] = (obj, body)
        return obj

    async def delete(self, *, file_id: str) -> None:
        self._record("delete", file_id=file_id)
        self.files.pop(file_id, None)

    async def speech(self, request: SpeechRequest) -> AsyncIterator[bytes]:
        self._record("speech", request)
        for part in SPEECH_PARTS:
            yield part
            if request.voice == "echo":
                # A handler bug after the answer started: the runtime must not end the body
                # as if it were complete.
                yield "not bytes"

    async def feedback(self, form: FeedbackForm) -> dict[str, Any]:
        self._record("feedback", form)
        return {"received": form.model_dump()}

    async def shout(self, text: str) -> str:
        self._record("shout", text)
        return text.upper() + "!"

    async def create_thread(self, request: ThreadRequest) -> Thread:
        self._record("create_thread", request)
        return Thread(id="thread-1", title=request.title)

    async def batch(self, request: ThreadRequest) -> Thread:
        raise NotImplementedError("batches come later")


def build_files_app(
    server: ModuleType, handler: FilesHandler | None = None, *, mounts: Any = (PREFIX,)
) -> FastAPI:
    """The files API served by `handler` (a new FilesHandler unless given).

    `thumbnail` has no handler method: it is mounted with None and answers 501.
    """
    served = handler or FilesHandler(server)
    app = FastAPI(title="test files api", version="0.0.1")
    server.mount_operations(
        app,
        [(op, getattr(served, name, None)) for name, op in operations(server).items()],
        mounts=mounts,
    )
    return app


if __name__ == "__main__":
    server_module = importlib.import_module(f"{sys.argv[1]}._server")
    raise SystemExit(
        server_module.main(sys.argv[2:], app_factory=lambda: build_files_app(server_module))
    )
