"""specgen: vendor API documents in, one typed Python client, models and server out.

The pipeline is one package a stage, data flowing one way:
ingest (documents -> OpenAPI 3.1) -> normalize (named repairs) -> ir (types + merge) -> render (files).
"""

from pathlib import Path

__version__ = "0.1.0"


def _builtin_templates() -> Path:
    """The shipped templates: inside the package when installed from a wheel (pyproject maps
    templates/ to codegen/templates), at the top of the repository in a checkout or an editable
    install."""
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


BUILTIN_TEMPLATES = _builtin_templates()
"""The shipped templates; a user's folder overrides them one file at a time."""
