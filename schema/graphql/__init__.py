"""GraphQL types over the records (SCHEMA.graphql); the hub adds Worker and Query."""
