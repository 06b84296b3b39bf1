"""Makes `mypy templates/runtime` see a package (relative imports); never copied to the output."""
