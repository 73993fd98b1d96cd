"""GraphQL documents the end-to-end tests send: every field of the contract's Worker (the
texts live in ``schema.graphql.documents``, shared with bench/batch.py)."""

from schema.graphql.documents import BY_ID, BY_NIK, BY_PASSPORT, MANY, PROVENANCE, WORKER_FIELDS

__all__ = ["BY_ID", "BY_NIK", "BY_PASSPORT", "MANY", "PROVENANCE", "WORKER_FIELDS"]
