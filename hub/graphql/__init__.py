"""The GraphQL API: Query, Worker and the schema assembly."""
