"""Connector kit: the protocol, errors, HTTP translation and auth pieces."""
