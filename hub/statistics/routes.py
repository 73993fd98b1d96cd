"""Public statistics over HTTP, for readers without a token (Satu Data, journalists, unions).

- ``GET /statistics/releases``: every release (JSON: id, reference date, status, tables);
- ``GET /statistics/{release}/{table}.csv``: one table as CSV with its metadata in leading
  ``#`` lines (``latest`` names the newest published release).

Only published releases after disclosure control are served; a withdrawn one answers 410 with
why. Errors are JSON with a code and text in Indonesian and English.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from hub.statistics.graphql import RELEASE_ID, TABLE_NAME
from hub.statistics.releases import ReleaseError, Releases, csv_rows

STATUS = {"NOT_FOUND": 404, "RELEASE_WITHDRAWN": 410, "BAD_USER_INPUT": 400}


def _error(code: str, text_id: str, text_en: str) -> JSONResponse:
    body = {"error": {"code": code, "messageId": text_id, "messageEn": text_en}}
    return JSONResponse(body, status_code=STATUS.get(code, 400))


def statistics_routes(hub_of: Callable[[], Any]) -> list[BaseRoute]:
    async def releases(request: Request) -> Response:
        hub = hub_of()
        if hub is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        store = Releases(hub.engine)

        def listing() -> list[dict[str, Any]]:
            return [
                {
                    "id": r.id,
                    "referenceDate": r.reference_date.isoformat(),
                    "status": r.status,
                    "rulesVersion": r.rules_version,
                    "withdrawnReason": r.withdrawn_reason,
                    "tables": store.table_names(r.id),
                }
                for r in store.all()
            ]

        return JSONResponse({"releases": await hub.offload(listing)})

    async def table_csv(request: Request) -> Response:
        hub = hub_of()
        if hub is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        release_id = request.path_params["release"]
        table = request.path_params["table"]
        if release_id != "latest" and not RELEASE_ID.fullmatch(release_id):
            return _error("BAD_USER_INPUT", "ID rilis tidak sah", "Malformed release id")
        if not TABLE_NAME.fullmatch(table):
            return _error("BAD_USER_INPUT", "Nama tabel tidak sah", "Malformed table name")
        store = Releases(hub.engine)

        def read() -> str:
            release = store.resolve(None if release_id == "latest" else release_id)
            body = store.table(release.id, table)
            if body is None:
                raise ReleaseError("NOT_FOUND", "Tabel tidak ada", "No such table")
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(csv_rows(release, body))
            return out.getvalue()

        try:
            text = await hub.offload(read)
        except ReleaseError as exc:
            return _error(exc.code, exc.text_id, exc.text_en)
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'inline; filename="{table}.csv"'},
        )

    return [
        Route("/statistics/releases", releases, methods=["GET"]),
        Route("/statistics/{release}/{table}.csv", table_csv, methods=["GET"]),
    ]


__all__ = ["statistics_routes"]
