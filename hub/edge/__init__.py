"""The hub's HTTP edge: what a request must be before GraphQL sees it, and what every answer
carries. Bodies are capped while they stream (``body``), JSON is parsed into a typed request or
a typed 400 (``requests``), answers carry the security headers (``headers``), and nothing leaves
as a plain-text 500 (``fallback``). Every refusal is JSON with ``errors[].extensions.code``.
"""

from hub.edge.body import BodyLimit
from hub.edge.errors import EdgeError, edge_response, http_exception_response
from hub.edge.fallback import LastResort
from hub.edge.headers import SecurityHeaders
from hub.edge.requests import EdgeRequests, parse_graphql_body

__all__ = [
    "BodyLimit",
    "EdgeError",
    "EdgeRequests",
    "LastResort",
    "SecurityHeaders",
    "edge_response",
    "http_exception_response",
    "parse_graphql_body",
]
