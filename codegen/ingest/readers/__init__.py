"""Docs-page readers, one a syntax (tables, bullets, JSX props, TypeScript, checklists, param
fences, pseudo-spec fences, curl, examples); each yields the same field evidence."""
