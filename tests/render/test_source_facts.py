"""Facts about specgen's runtime files are remembered between builds, and only for the same text."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.render import source_facts


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(source_facts, "cache_folder", lambda: tmp_path)
    monkeypatch.setattr(source_facts, "_used", set())
    source_facts._store.cache_clear()
    yield tmp_path
    source_facts._store.cache_clear()


def _counting(calls: list[str]):  # type: ignore[no-untyped-def]
    def compute(text: str) -> list[str]:
        calls.append(text)
        return sorted(set(text.split()))

    return compute


def test_a_fact_is_computed_once_per_text_and_again_when_the_text_changes(
    store: Path, tmp_path: Path
) -> None:
    module = tmp_path / "m.py"
    module.write_text("b a", encoding="utf-8")
    calls: list[str] = []
    assert source_facts.remembered_fact("words", module, _counting(calls)) == ["a", "b"]
    source_facts._store.cache_clear()  # a new process reads the store from disk
    assert source_facts.remembered_fact("words", module, _counting(calls)) == ["a", "b"]
    assert calls == ["b a"]
    module.write_text("c", encoding="utf-8")
    assert source_facts.remembered_fact("words", module, _counting(calls)) == ["c"]
    assert calls == ["b a", "c"]


def test_a_damaged_store_only_means_computing_again(store: Path, tmp_path: Path) -> None:
    (store / source_facts._STORE_NAME).write_text("{not json", encoding="utf-8")
    module = tmp_path / "m.py"
    module.write_text("x", encoding="utf-8")
    calls: list[str] = []
    assert source_facts.remembered_fact("words", module, _counting(calls)) == ["x"]
    assert calls == ["x"]


def test_the_store_keeps_only_what_this_process_asked_for(store: Path, tmp_path: Path) -> None:
    (store / source_facts._STORE_NAME).write_text('{"words:old": ["z"]}', encoding="utf-8")
    module = tmp_path / "m.py"
    module.write_text("y", encoding="utf-8")
    source_facts.remembered_fact("words", module, _counting([]))
    saved = (store / source_facts._STORE_NAME).read_text(encoding="utf-8")
    assert "words:old" not in saved and '["y"]' in saved


def test_the_runtime_facts_match_a_fresh_parse() -> None:
    """What the renderer reserves equals what ``ast`` reads from the runtime files now."""
    from codegen.render import package

    for path in sorted(package.RUNTIME_DIR.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert package._module_all(path) == package._all_names(text)
    client = package.RUNTIME_DIR / "_base_client.py"
    assert package._client_attributes(client) == set(
        package._attribute_names(client.read_text(encoding="utf-8"))
    )
