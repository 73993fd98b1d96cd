"""From an HTTP body to a GraphQL request, or a typed 400.

The body must be JSON (``Content-Type: application/json``), valid UTF-8, one object (a batch,
an array, is refused), with ``query`` a non-empty string, ``variables`` and ``extensions``
objects or null and ``operationName`` a string or null. JSON nested past what the parser
follows, numbers it cannot hold and invalid UTF-8 are all the same typed 400, never a 500.
"""

from __future__ import annotations

from typing import Any

import orjson
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from hub.edge.errors import EdgeError, bad_request


def parse_graphql_body(content_type: str, body: bytes) -> GraphQLRequestData:
    media = content_type.split(";", 1)[0].strip().lower()
    if media != "application/json":
        raise bad_request(
            "Kirim badan JSON (Content-Type: application/json)",
            "Send a JSON body (Content-Type: application/json)",
        )
    try:
        data = orjson.loads(body)
    except (ValueError, RecursionError):  # orjson.JSONDecodeError is a ValueError
        raise bad_request(
            "Badan permintaan bukan JSON yang sah (UTF-8, kedalaman wajar)",
            "The request body is not valid JSON (UTF-8, reasonable nesting)",
        ) from None
    if isinstance(data, list):
        raise bad_request(
            "Satu operasi per permintaan; kueri berkelompok tidak didukung",
            "One operation per request; batched queries are not supported",
        )
    if not isinstance(data, dict):
        raise bad_request(
            "Badan permintaan harus objek JSON", "The request body must be a JSON object"
        )
    query = data.get("query")
    if not isinstance(query, str) or not query.strip():
        raise bad_request(
            "'query' harus teks yang tidak kosong",
            "'query' must be a non-empty string",
            field="query",
        )
    for field in ("variables", "extensions"):
        if not isinstance(data.get(field), dict | None):
            raise bad_request(
                f"'{field}' harus objek JSON atau null",
                f"'{field}' must be a JSON object or null",
                field=field,
            )
    operation_name = data.get("operationName")
    if not isinstance(operation_name, str | None):
        raise bad_request(
            "'operationName' harus teks atau null",
            "'operationName' must be a string or null",
            field="operationName",
        )
    return GraphQLRequestData(
        query=query,
        variables=data.get("variables"),
        operation_name=operation_name,
        extensions=data.get("extensions"),
    )


class EdgeRequests:
    """Mixed into the GraphQL view: the body parsed here, and the operation errors strawberry
    would raise as untyped HTTP errors turned into typed ones."""

    schema: Any

    async def parse_http_body(self, request: Any) -> GraphQLRequestData:
        return parse_graphql_body(request.content_type or "", await request.get_body())

    async def execute_single(  # the signature strawberry's view calls
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Any,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            result: ExecutionResult = await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                # a subscription gets SUBSCRIPTION_TRANSPORT from hub/graphql/live.py
                allowed_operation_types=OperationType.from_http(request_adapter.method),
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError:
            raise bad_request(
                "Sebutkan operationName yang ada di dokumen",
                "Name an operation the document defines (operationName)",
                field="operationName",
            ) from None
        except InvalidOperationTypeError:
            raise EdgeError(
                405,
                "METHOD_NOT_ALLOWED",
                "Gunakan POST dengan badan JSON",
                "Use POST with a JSON body",
            ) from None
        except MissingQueryError:
            raise bad_request("'query' tidak ada", "'query' is missing", field="query") from None
        return result
