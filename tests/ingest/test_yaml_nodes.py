"""dump_yaml's own node walk writes exactly what PyYAML's representer would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.ingest import yaml_nodes
from codegen.ingest.document import _str_representer, dump_yaml
from codegen.ingest.yaml_lines import parse_with_lines

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


class _PlainDumper(yaml.CSafeDumper):  # type: ignore[misc]
    """PyYAML's own dumper with specgen's one string rule, and nothing else of specgen's."""


_PlainDumper.add_representer(str, _str_representer)


def _represented(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100,
        default_flow_style=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "name", sorted(p.name for p in CORPUS.iterdir() if p.suffix in {".json", ".yaml"})
)
def test_every_corpus_document_dumps_as_the_representer_writes_it(name: str) -> None:
    data = parse_with_lines((CORPUS / name).read_text(encoding="utf-8"), file=name).data
    assert yaml_nodes.yaml_nodes(data) is not None
    assert dump_yaml(data) == _represented(data)


def test_a_dict_met_twice_is_an_anchor_and_an_alias_as_pyyaml_writes_it() -> None:
    shared = {"type": "string"}
    items = [1, 2]
    data = {"a": shared, "b": [shared, items], "c": items, "d": {"e": shared}}
    text = dump_yaml(data)
    assert text == _represented(data)
    assert "&id001" in text and "*id001" in text


def test_other_types_go_to_the_representer() -> None:
    data = {"a": (1, 2), "b": b"x"}
    assert yaml_nodes.yaml_nodes(data) is None
    with pytest.raises(yaml.representer.RepresenterError):
        dump_yaml({"a": object()})


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.sampled_from(["a\nb", " a\nb", "\ta\nb", "a\r\nb", "yes", "1.0", "", "null", "#x"])
)


@settings(max_examples=200, deadline=None)
@given(
    data=st.recursive(
        _SCALARS,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=5) | st.integers(), children, max_size=4)
        ),
        max_leaves=30,
    ),
    share=st.booleans(),
)
def test_random_data_dumps_as_the_representer_writes_it(data: Any, share: bool) -> None:
    if share and isinstance(data, dict | list):
        data = {"first": data, "second": [data, {"again": data}]}
    assert dump_yaml(data) == _represented(data)
