"""A crew's own documents (PP 22/2022): the seafarer's book and the sea-service agreement.

Their draws come from the placement id (a hash), not from the population's random stream, so
adding them changed no other person or field of a generated population.
"""

from __future__ import annotations

from hashlib import blake2b
from typing import TYPE_CHECKING, Any

from schema.population.targets import RATES

if TYPE_CHECKING:
    from schema.population._factory import Factory
    from schema.population._plan import Placement

BOOK_YEARS = 5  # a seafarer's book's validity (assumption: the ministry's rule is not sourced)
CREW_STATUSES = ("READY", "DEPARTED", "WORKING", "RETURNED")


def draw(pid: str, what: str) -> float:
    """A uniform number in [0, 1) fixed by the placement id and what it decides."""
    digest = blake2b(f"{pid}:{what}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def crew_documents(f: Factory, pl: Placement, out: dict[str, Any]) -> None:
    """Add a crew placement's book and PKL to its SISKOP2MI record ``out``, at RATES."""
    if pl.sector != "FISHERIES_SEA" or pl.status not in CREW_STATUSES:
        return
    pid = out["placementId"]
    if draw(pid, "book") < RATES["seafarer's book recorded (of crews)"]:
        expired = draw(pid, "expired") < RATES["seafarer's book expired (of crews with a book)"]
        if expired and pl.status != "RETURNED":
            expires = f.as_of - 1 - int(draw(pid, "when") * 180)  # up to half a year ago
        else:  # issued before registering, valid five years, long enough for this contract
            expires = max(pl.reg + BOOK_YEARS * 365, pl.end + 30 + int(draw(pid, "when") * 700))
        number = f"F {f.ids.seq('BUKU', 'F'):06d}"
        out["seafarerBook"] = {"number": number, "expiresOn": f.day(expires)}
    if draw(pid, "pkl") < RATES["sea-service agreement recorded (of crews)"]:
        signed = (pl.agreement if pl.agreement is not None else pl.start - 30) + 10
        pkl: dict[str, Any] = {"signedOn": f.day(min(signed, f.as_of))}
        if draw(pid, "endorsed") >= RATES["sea-service agreement not endorsed (of recorded)"]:
            pkl["endorsedOn"] = f.day(min(signed + 7, f.as_of))
        out["seaServiceAgreement"] = pkl
