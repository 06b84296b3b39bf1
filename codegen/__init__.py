"""specgen: vendor API documents in, one typed Python client, models and server out.

The pipeline is one package a stage, data flowing one way:
ingest (documents -> OpenAPI 3.1) -> normalize (named repairs) -> ir (types + merge) -> render (files).
"""

__version__ = "0.1.0"
