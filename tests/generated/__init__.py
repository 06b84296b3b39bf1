"""Acceptance tests of the generated package built from the five real vendor documents."""
