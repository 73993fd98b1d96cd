"""GraphiQL, served by the hub from vendored files (dev only), so it works with no internet.

Strawberry's GraphiQL page loads React, GraphiQL and its explorer plugin from a CDN, pinned by
version and Subresource Integrity. The same files, byte for byte (the SRI hashes in the page
still check them), are kept beside this module, taken from the npm packages of those exact
versions (LICENSES.txt), and the page points at ``/graphiql/<file>`` instead.
"""

from hub.graphiql.routes import graphiql_routes, offline_page

__all__ = ["graphiql_routes", "offline_page"]
