"""GraphQL documents asking for every field of the contract's Worker.

One text for the end-to-end tests (``tests/e2e/queries.py``) and the batch benchmark
(``bench/batch.py``), so the benchmark measures exactly what the tests check.
"""

from __future__ import annotations

PROVENANCE = "provenance { agency system recordId fetchedAt stale }"

WORKER_FIELDS = f"""
  id
  identity {{
    nik fullName otherNames birthDate sex originProvince originRegency phone
    passports {{ number issuedOn expiresOn }}
    nextOfKin {{ name relation phone address }}
    links {{ agency localId matchMethod confidence }}
  }}
  placements {{
    placementId pmiId cardNumber status scheme destinationCountry occupation sector
    employer {{ name country city phone }}
    agency {{ name licenseNumber licenseStatus phone }}
    contractStart contractEnd contractEndorsed orientationCompleted departedOn returnedOn
    {PROVENANCE}
  }}
  socialSecurity {{
    kpj
    coverages {{ program phase start end active }}
    contributions {{ period amount paidOn }}
    claims {{ program status submittedOn amount }}
    {PROVENANCE}
  }}
  consular {{
    reported reportedOn addressAbroad lastContactOn
    mission {{ code name city country }}
    {PROVENANCE}
  }}
  cases {{
    id kind status severity openedAt summary agencies
    mission {{ code name city country }}
    {PROVENANCE}
  }}
  protection {{
    level phase complete evaluatedAt rulesVersion
    findings {{ code severity message messageEn: message(lang: EN) action
               actionEn: action(lang: EN) evidence {{ agency system recordId }} }}
  }}
  sources {{ agency state fetchedAt message }}
"""

BY_NIK = f"query ByNik($nik: String!) {{ workerBy(nik: $nik) {{ {WORKER_FIELDS} }} }}"
BY_PASSPORT = f"query ByPassport($p: String!) {{ workerBy(passport: $p) {{ {WORKER_FIELDS} }} }}"
BY_ID = f"query ById($id: ID!) {{ worker(id: $id) {{ {WORKER_FIELDS} }} }}"
MANY = f"query Many($ids: [ID!]!) {{ workers(ids: $ids) {{ {WORKER_FIELDS} }} }}"

__all__ = ["BY_ID", "BY_NIK", "BY_PASSPORT", "MANY", "PROVENANCE", "WORKER_FIELDS"]
