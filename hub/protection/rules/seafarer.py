"""Merchant and fishing crews' own documents (PP 22/2022 on the placement and protection of
migrant crews, awak kapal niaga and awak kapal perikanan migran).

A crew (sector FISHERIES_SEA) sails under a seafarer's book (Buku Pelaut), which is an identity
and service record and not a travel document, and works under a sea-service agreement
(Perjanjian Kerja Laut, PKL) signed before departure and endorsed (disahkan). SISKOP2MI records
both for crews on its newer answers; a crew whose record carries neither is not judged on them
(absence is "not recorded", never a finding), and no other worker is read by these rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from hub.protection.facts import P2MI
from hub.protection.law import PP_22_2022, Law
from hub.protection.rule import Context, Hit, rule
from hub.protection.rules.people import is_crew
from hub.protection.situation import Stage
from hub.protection.text import Text, days_since
from hub.protection.verdict import Action, Party
from schema.enums import PlacementStatus, Severity
from schema.records import PlacementRecord

STAGES = (Stage.PRE_PLACEMENT, Stage.PLACEMENT)
BOUND = (PlacementStatus.READY, PlacementStatus.DEPARTED, PlacementStatus.WORKING)
WEAK = (
    "The stored sources summarise PP 22/2022 (its first day, the crew's documents and the "
    "endorsement) without its articles [S33][S34]; the article numbers and the endorsing "
    "authority are to be checked against the regulation's text."
)


def crew_placement(ctx: Context) -> PlacementRecord | None:
    """The current placement when it is a crew's, bound for or at sea."""
    p = ctx.placement
    if p is None or not is_crew(p) or p.status not in BOUND:
        return None
    return p


@rule(
    code="SEAFARER_BOOK_EXPIRED",
    severity=Severity.MEDIUM,
    law=Law(
        "PP 22/2022 (a crew's documents include a valid seafarer's book, Buku Pelaut, issued by "
        "the transport ministry; it is not a travel document)",
        ("[S33]", "[S34]"),
        since=PP_22_2022,
        weak=WEAK,
    ),
    condition="A crew's (sector FISHERIES_SEA) current placement is READY to depart or at sea "
    "(DEPARTED, WORKING) and the seafarer's book SISKOP2MI records for it expired before today "
    "(one expiring today is still valid). HIGH while READY: a crew cannot sign on without it; "
    "MEDIUM at sea. A book with no recorded expiry, or no book on record, is not judged.",
    message=Text(
        "Buku Pelaut yang tercatat berakhir {expires}, {ago}.",
        "The seafarer's book (Buku Pelaut) on record expired on {expires}, {ago}.",
    ),
    action=Text(
        "Sebelum berangkat: tunda naik kapal sampai Buku Pelaut diperpanjang. Di laut: hubungi "
        "awak kapal melalui agen atau perwakilan di pelabuhan berikutnya dan bantu perpanjangan.",
        "Before departure: hold the sign-on until the seafarer's book is renewed. At sea: reach "
        "the crew member through the agency or the mission at the next port and help renew it.",
    ),
    actions=(
        Action(
            Party.P3MI,
            Text(
                "Perpanjang Buku Pelaut awak kapal sebelum naik kapal.",
                "Renew the crew member's seafarer's book before sign-on.",
            ),
        ),
        Action(
            Party.WORKER,
            Text(
                "Buku Pelaut Anda sudah habis berlaku: perpanjang di kantor Syahbandar atau "
                "tanyakan ke perusahaan penempatan; di luar negeri, hubungi perwakilan RI.",
                "Your seafarer's book (Buku Pelaut) has expired: renew it at a harbour master's "
                "office (Syahbandar) or ask your placement company; abroad, contact the "
                "Indonesian mission.",
            ),
        ),
    ),
    needs=(P2MI,),
    stages=STAGES,
)
def seafarer_book_expired(ctx: Context) -> Iterator[Hit]:
    p = crew_placement(ctx)
    book = p.seafarer_book if p is not None else None
    if p is None or book is None or book.expires_on is None or book.expires_on >= ctx.today:
        return
    params = {  # never the book's number: an identifier, personal data
        "expires": book.expires_on,
        "ago": days_since((ctx.today - book.expires_on).days),
    }
    ready = p.status is PlacementStatus.READY
    yield Hit(params, ctx.placement_evidence, Severity.HIGH if ready else None)


@rule(
    code="SEA_AGREEMENT_NOT_ENDORSED",
    severity=Severity.MEDIUM,
    law=Law(
        "PP 22/2022 (a crew works under a sea-service agreement, Perjanjian Kerja Laut, signed "
        "before departure and endorsed; the protection it gives rests on that agreement)",
        ("[S33]", "[S34]"),
        since=PP_22_2022,
        weak=WEAK,
    ),
    condition="A crew's (sector FISHERIES_SEA) current placement is READY to depart or at sea "
    "(DEPARTED, WORKING) and SISKOP2MI records its sea-service agreement (PKL) as signed with "
    "no endorsement. No agreement on record is not judged (not recorded).",
    message=Text(
        "Perjanjian Kerja Laut (PKL) ditandatangani {signed} tetapi belum disahkan.",
        "The sea-service agreement (PKL) was signed on {signed} but is not endorsed.",
    ),
    action=Text(
        "Minta perusahaan penempatan mengesahkan PKL (Syahbandar atau perwakilan RI) dan "
        "simpan salinannya bersama data pekerja.",
        "Have the placement company get the PKL endorsed (harbour master or the mission) and "
        "keep a copy with the worker's data.",
    ),
    actions=(
        Action(
            Party.P3MI,
            Text(
                "Sahkan Perjanjian Kerja Laut awak kapal sebelum keberangkatan.",
                "Have the crew member's sea-service agreement endorsed before departure.",
            ),
        ),
        Action(
            Party.WORKER,
            Text(
                "Perjanjian Kerja Laut (PKL) Anda belum disahkan. Minta pengesahannya dan simpan "
                "salinannya sendiri; tanpa itu hak Anda lebih sulit dibela.",
                "Your sea-service agreement (PKL) is not endorsed. Ask for it to be endorsed and "
                "keep a copy yourself; without it your rights are harder to defend.",
            ),
        ),
    ),
    needs=(P2MI,),
    stages=STAGES,
)
def sea_agreement_not_endorsed(ctx: Context) -> Iterator[Hit]:
    p = crew_placement(ctx)
    pkl = p.sea_agreement if p is not None else None
    if pkl is None or pkl.endorsed_on is not None:
        return
    yield Hit({"signed": pkl.signed_on}, ctx.placement_evidence)


RULES = (seafarer_book_expired, sea_agreement_not_endorsed)
