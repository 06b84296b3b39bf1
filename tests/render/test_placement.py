"""Where operations live in the client: resources from paths, verbs from the REST shape, actions
on items, and names that never collide."""

from __future__ import annotations

from codegen.ir.model import API, Operation
from codegen.render.placement import ROOT_RESOURCE, Placement, place_operations


def api_of(*routes: tuple[str, str] | tuple[str, str, str]) -> API:
    operations = []
    for route in routes:
        method, path = route[0], route[1]
        operation_id = route[2] if len(route) == 3 else f"{method}{path}"
        operations.append(
            Operation(operation_id, method, path, None, None, None, False, None, None)
        )
    return API("t", "1", (), (), tuple(operations), ())


def placed(*routes: tuple[str, str] | tuple[str, str, str]) -> dict[tuple[str, str], Placement]:
    return place_operations(api_of(*routes))


def test_verbs_follow_the_rest_shape_and_resources_the_static_segments() -> None:
    found = placed(
        ("get", "/fine_tuning/jobs"),
        ("post", "/fine_tuning/jobs"),
        ("get", "/fine_tuning/jobs/{job_id}"),
        ("post", "/assistants/{assistant_id}"),
        ("patch", "/projects/{id}"),
        ("delete", "/models/{model}"),
    )
    assert found[("get", "/fine_tuning/jobs")] == Placement(("fine_tuning", "jobs"), "list")
    assert found[("post", "/fine_tuning/jobs")] == Placement(("fine_tuning", "jobs"), "create")
    assert found[("get", "/fine_tuning/jobs/{job_id}")].method == "retrieve"
    assert found[("post", "/assistants/{assistant_id}")] == Placement(("assistants",), "update")
    assert found[("patch", "/projects/{id}")].method == "update"
    assert found[("delete", "/models/{model}")] == Placement(("models",), "delete")


def test_a_lone_static_segment_after_a_parameter_is_an_action_on_the_item() -> None:
    found = placed(
        ("get", "/files/{file_id}/content"),
        ("post", "/batches/{batch_id}/cancel"),
        # A collection below an item is a resource of its own, not an action.
        ("get", "/threads/{thread_id}/messages"),
        ("post", "/threads/{thread_id}/messages"),
        ("get", "/vector_stores/{id}/files"),
        ("get", "/vector_stores/{id}/files/{file_id}"),
    )
    assert found[("get", "/files/{file_id}/content")] == Placement(("files",), "content")
    assert found[("post", "/batches/{batch_id}/cancel")] == Placement(("batches",), "cancel")
    assert found[("get", "/threads/{thread_id}/messages")] == Placement(
        ("threads", "messages"), "list"
    )
    assert found[("get", "/vector_stores/{id}/files")] == Placement(
        ("vector_stores", "files"), "list"
    )


def test_colliding_verbs_take_their_cleaned_operation_ids_and_never_a_child_name() -> None:
    found = placed(
        ("get", "/users/{id}", "getUser"),
        ("get", "/users/{id}/{other}", "getUserPair"),
        ("get", "/things/{id}/list", "listThingExtras"),
        ("get", "/things", "listThings"),
    )
    assert found[("get", "/users/{id}")].method == "get_user"
    assert found[("get", "/users/{id}/{other}")].method == "get_user_pair"
    # `/things/{id}/list` is the action `list`; the collection's own `list` must give way.
    names = {found[("get", "/things/{id}/list")].method, found[("get", "/things")].method}
    assert names == {"list_thing_extras", "list_things"}


def test_operations_on_the_bare_root_live_in_the_root_resource() -> None:
    found = placed(("post", "/", "compat_generate"), ("get", "/{id}", "fetch"))
    assert found[("post", "/")] == Placement((ROOT_RESOURCE,), "create")
    assert found[("get", "/{id}")] == Placement((ROOT_RESOURCE,), "retrieve")


def test_placement_is_deterministic_and_unique_per_resource() -> None:
    routes = [("get", f"/a/{{x}}/b{i}", f"op{i}") for i in range(5)] + [("get", "/a", "listA")]
    first = placed(*routes)
    assert first == placed(*routes)
    by_resource: dict[tuple[str, ...], list[str]] = {}
    for placement in first.values():
        by_resource.setdefault(placement.resource, []).append(placement.method)
    for names in by_resource.values():
        assert len(names) == len(set(names))


def test_a_custom_method_on_an_item_is_its_verb() -> None:
    found = placed(("post", "/batches/{batch_id}:cancel"), ("get", "/batches/{batch_id}"))
    assert found[("post", "/batches/{batch_id}:cancel")] == Placement(("batches",), "cancel")
    assert found[("get", "/batches/{batch_id}")] == Placement(("batches",), "retrieve")
