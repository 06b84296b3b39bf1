"""Vendor profiles compared by name: URLs, auth, in-body errors, required fields, bounds, features."""

from __future__ import annotations

from ..ir.model import API, Constraints, VendorProfile
from .bounds import bound_changes
from .change import Change, make_change

_SETTINGS = (
    ("base-url-changed", "base_url"),
    ("path-prefix-changed", "path_prefix"),
    ("auth-changed", "auth"),
    ("auth-header-changed", "auth_header"),
    ("api-key-env-changed", "api_key_env"),
)
"""Kind -> the profile attribute whose change it is."""


def vendor_changes(old: API, new: API) -> list[Change]:
    """Vendors added and removed, and every change to the profile of those on both sides."""
    old_vendors = {vendor.name: vendor for vendor in old.vendors}
    new_vendors = {vendor.name: vendor for vendor in new.vendors}
    changes: list[Change] = []
    for name in sorted(old_vendors.keys() | new_vendors.keys()):
        if name not in new_vendors:
            changes.append(make_change("vendor-removed", "", vendor=name))
        elif name not in old_vendors:
            changes.append(make_change("vendor-added", "", vendor=name))
        else:
            changes += _compare_profile(old, new, old_vendors[name], new_vendors[name])
    return changes


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _compare_profile(
    old_api: API, new_api: API, old: VendorProfile, new: VendorProfile
) -> list[Change]:
    name = old.name
    changes = [
        make_change(
            kind,
            attribute,
            vendor=name,
            before=_text(getattr(old, attribute)),
            after=_text(getattr(new, attribute)),
        )
        for kind, attribute in _SETTINGS
        if getattr(old, attribute) != getattr(new, attribute)
    ]
    changes += _in_body_errors(old, new)
    changes += _added_removed(
        name, "required_fields", "vendor-required-field", old.required_fields, new.required_fields
    )
    changes += _features(old_api, new_api, old, new)
    changes += _known_values(old, new)
    if len(old_api.vendors) > 1 or len(new_api.vendors) > 1:
        # A sole vendor's bounds are the merged API's, reported at their places already.
        changes += _bounds(old, new)
    return changes


def _features(old_api: API, new_api: API, old: VendorProfile, new: VendorProfile) -> list[Change]:
    """A vendor's features that change while the API keeps them: a feature the whole API gains
    or loses (a new optional field, streaming) is reported at its operation already."""
    offered_before = {f for vendor in old_api.vendors for f in vendor.features}
    offered_after = {f for vendor in new_api.vendors for f in vendor.features}
    kept = offered_before & offered_after
    before = tuple(f for f in old.features if f in kept)
    after = tuple(f for f in new.features if f in kept)
    return _added_removed(old.name, "features", "vendor-feature", before, after)


def _added_removed(
    vendor: str, place: str, kind: str, old: tuple[str, ...], new: tuple[str, ...]
) -> list[Change]:
    changes = [
        make_change(f"{kind}-removed", f"{place}.{item}", vendor=vendor, before=item)
        for item in sorted(set(old) - set(new))
    ]
    changes += [
        make_change(f"{kind}-added", f"{place}.{item}", vendor=vendor, after=item)
        for item in sorted(set(new) - set(old))
    ]
    return changes


def _in_body_errors(old: VendorProfile, new: VendorProfile) -> list[Change]:
    was = {str(error.code): error.name for error in old.in_body_errors}
    now = {str(error.code): error.name for error in new.in_body_errors}
    changes: list[Change] = []
    for code in sorted(was.keys() | now.keys()):
        place = f"in_body_errors.{code}"
        if code not in now:
            changes.append(
                make_change("in-body-error-removed", place, vendor=old.name, before=was[code])
            )
        elif code not in was:
            changes.append(
                make_change("in-body-error-added", place, vendor=old.name, after=now[code])
            )
        elif was[code] != now[code]:
            changes.append(
                make_change(
                    "in-body-error-renamed",
                    place,
                    vendor=old.name,
                    before=was[code],
                    after=now[code],
                )
            )
    return changes


def _known_values(old: VendorProfile, new: VendorProfile) -> list[Change]:
    was = {(known.field, value) for known in old.known_values for value in known.values}
    now = {(known.field, value) for known in new.known_values for value in known.values}
    changes = [
        make_change("vendor-known-value-removed", f"known_values.{f}", vendor=old.name, before=v)
        for f, v in sorted(was - now)
    ]
    changes += [
        make_change("vendor-known-value-added", f"known_values.{f}", vendor=old.name, after=v)
        for f, v in sorted(now - was)
    ]
    return changes


def _bounds_by_field(profile: VendorProfile) -> dict[str, Constraints]:
    """Bounds by field name; a name bounded in two request bodies gets ``#2`` the second time."""
    found: dict[str, Constraints] = {}
    for item in profile.bounds:
        key, count = item.field, 1
        while key in found:
            count += 1
            key = f"{item.field}#{count}"
        found[key] = item.constraints
    return found


def _bounds(old: VendorProfile, new: VendorProfile) -> list[Change]:
    """A vendor's own request bounds; a field with none on one side has empty Constraints there."""
    was, now = _bounds_by_field(old), _bounds_by_field(new)
    changes = []
    for name in sorted(was.keys() | now.keys()):
        before, after = was.get(name, Constraints()), now.get(name, Constraints())
        for change in bound_changes(before, after):
            changes.append(
                make_change(
                    f"vendor-bound-{change.direction}",
                    f"bounds.{name}",
                    vendor=old.name,
                    before=change.before,
                    after=change.after,
                )
            )
    return changes
