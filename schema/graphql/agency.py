"""The GraphQL ``Agency`` enum: the four agencies of the contract plus configured extras.

A further agency is added by configuration alone (``HUB_CONNECTORS=…,imigrasi=connectors.
imigrasi``): its package's ``AGENCY`` constant becomes a value of this enum when the schema
module is first imported, so provenance, links and sources can name it.
"""

from __future__ import annotations

import importlib
import os
from enum import StrEnum

from schema.enums import Agency as ContractAgency


def configured_agency_codes(environ: dict[str, str] | None = None) -> list[str]:
    codes = [agency.value for agency in ContractAgency]
    spec = (environ if environ is not None else os.environ).get("HUB_CONNECTORS", "")
    for entry in spec.split(","):
        _, sep, package = entry.strip().partition("=")
        if not sep:
            continue
        try:
            code = getattr(importlib.import_module(package), "AGENCY", None)
        except ImportError:
            continue  # reported with a clear message when the hub builds its connectors
        if isinstance(code, str) and code.isidentifier() and code not in codes:
            codes.append(code)
    return codes


Agency = StrEnum("Agency", {code: code for code in configured_agency_codes()})  # type: ignore[misc]
