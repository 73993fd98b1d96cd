"""The access policy of the whole schema, declared once: one entry per field.

Every field of every object type the hub serves has an entry here, keyed by its schema
coordinate (``Type.field``); ``tests/hub/graphql/test_policy.py`` fails when a field of the
live schema has none, so a new field cannot ship undecided. The entries are enforced, not
described: ``hub.graphql.enforce`` wraps the resolvers of every ``ROOT`` and ``SECTION``
entry with the check the entry declares, and the builders of the ``FIELD`` entries (the
identity, findings and sources) ask ``field_allowed`` before they hand a value out.
docs/auth.md's policy table is generated from this module (``python -m hub.graphql.policy_docs``).

Gates:

- ``ROOT``: a field of Query, Mutation or Subscription, checked before its resolver runs: the
  purpose (``purposes``; None: none needed), then every scope in ``scopes``;
- ``SECTION``: a Worker section, checked per worker (a break-glass grant lifts read scopes; a
  ``self`` token reads it on its own record only where ``self_reads``);
- ``FIELD``: a field inside a section with a decision of its own, filtered by the builder;
- ``WITHIN``: decided by the field named in ``within`` (the section or root field returning
  the type); it records nothing beyond what that field records;
- ``PUBLIC``: reference or technical data, no personal data (mission names, page cursors).

Partner organisations (a ``partner`` token, hub/partners) hold no agency scope: ``partner``
names what a worker's consent must open for them. On a ROOT entry ``CONSENT`` lets a partner
call the field (its resolver binds the call to a consent); on a SECTION or FIELD entry it is
the consent category that opens it (``next_of_kin`` only when the worker included it). An
entry without one is closed to partners, whatever else it allows: no search, no batches, no
lists of workers, no subscriptions, the NIK masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from auth.purpose import PARTNER_PURPOSES, PERSON_PURPOSES, Purpose
from auth.scopes import Scope


class Gate(StrEnum):
    ROOT = "root"
    SECTION = "section"
    FIELD = "field"
    WITHIN = "within"
    PUBLIC = "public"


ALL_PURPOSES = PERSON_PURPOSES - PARTNER_PURPOSES  # the agencies' and the worker's
DATA_PURPOSES = ALL_PURPOSES - {Purpose.SELF_SERVICE}
CONSENT = "consent"  # a ROOT a partner may call, bound to a consent by its resolver
CRISIS = frozenset({Purpose.EMERGENCY, Purpose.CASE_HANDLING})  # a cohort is for a crisis


@dataclass(frozen=True, slots=True)
class Rule:
    gate: Gate
    scopes: tuple[str, ...] = ()  # every one is needed
    purposes: frozenset[Purpose] | None = None  # None: no purpose needed
    category: str | None = None  # the audit category a read records
    self_reads: bool = False  # a self token reads it (its own record only)
    within: str | None = None  # WITHIN: the coordinate that decides
    dev_open: tuple[str, ...] = ()  # scopes not needed in HUB_ENV=dev
    note: str = ""
    partner: str | None = None  # CONSENT (ROOT) or the consent category that opens it

    @property
    def scope(self) -> str | None:
        """The scope a refusal names (the first one)."""
        return self.scopes[0] if self.scopes else None


def _purposes(self_reads: bool, partner: str | None = None) -> frozenset[Purpose]:
    purposes = ALL_PURPOSES if self_reads else DATA_PURPOSES
    return purposes | PARTNER_PURPOSES if partner else purposes


def root(
    *scopes: str,
    category: str | None = None,
    self_reads: bool = False,
    purpose: bool = True,
    only: frozenset[Purpose] | None = None,
    dev_open: tuple[str, ...] = (),
    partner: str | None = None,
    note: str = "",
) -> Rule:
    purposes = (only or _purposes(self_reads, partner)) if purpose else None
    return Rule(Gate.ROOT, scopes, purposes, category, self_reads, None, dev_open, note, partner)


def section(
    scope: str, category: str, *, self_reads: bool, partner: str | None = None, note: str = ""
) -> Rule:
    purposes = _purposes(self_reads, partner)
    return Rule(Gate.SECTION, (scope,), purposes, category, self_reads, note=note, partner=partner)


def field(
    scope: str | None,
    category: str | None,
    *,
    self_reads: bool,
    note: str,
    partner: str | None = None,
) -> Rule:
    scopes = (scope,) if scope else ()
    purposes = _purposes(self_reads, partner)
    return Rule(Gate.FIELD, scopes, purposes, category, self_reads, note=note, partner=partner)


def _within(type_name: str, coordinate: str, fields: str) -> dict[str, Rule]:
    return {f"{type_name}.{name}": Rule(Gate.WITHIN, within=coordinate) for name in fields.split()}


def _public(type_name: str, fields: str, note: str) -> dict[str, Rule]:
    return {f"{type_name}.{name}": Rule(Gate.PUBLIC, note=note) for name in fields.split()}


S = Scope
ID_READ = S.WORKER_IDENTITY_READ
LOOKUP = "hands back the id it was given; each section records its own category"
BY_IDENTIFIER = (
    "a worker id handed out for an identifier is recorded as identity; by an agency's own "
    "number (KPJ, ID PMI, record id) only with that agency's section"
)

POLICY: dict[str, Rule] = {
    # --- Query -----------------------------------------------------------------------
    "Query.worker": root(
        ID_READ,
        self_reads=True,
        partner=CONSENT,
        note=LOOKUP + "; a partner: only a worker whose consent to it is in force",
    ),
    "Query.workers": root(ID_READ, self_reads=True, note=LOOKUP),
    "Query.workerBy": root(ID_READ, category="identity", note=BY_IDENTIFIER),
    "Query.workersByNik": root(ID_READ, category="identity", note=BY_IDENTIFIER),
    "Query.searchWorkers": root(ID_READ, category="identity", note=BY_IDENTIFIER),
    "Query._entities": root(
        S.FEDERATION_GATEWAY,
        ID_READ,
        dev_open=(S.FEDERATION_GATEWAY,),
        note="the federation gateway, forwarding its caller's token; " + LOOKUP,
    ),
    "Query._service": root(
        S.FEDERATION_GATEWAY,
        purpose=False,
        dev_open=(S.FEDERATION_GATEWAY,),
        note="the schema (SDL) for the gateway's composition",
    ),
    "Query.matchCandidates": root(
        S.IDENTITY_ADMIN,
        category="identity",
        note="each worker on the page recorded as identity (the records' local ids)",
    ),
    "Query.accessLog": root(
        S.AUDIT_READ,
        category="access_log",
        self_reads=True,
        note="a self token reads its own log (canonical id); each read recorded",
    ),
    "Query.me": root(purpose=False, note="the caller's own token"),
    "Query.consentText": root(
        S.SELF, self_reads=True, purpose=False, note="the worker's own terms; no personal data"
    ),
    "Query.consents": root(
        S.CASE_READ,
        category="case",
        self_reads=True,
        partner=CONSENT,
        note="self: its own consents; partner: those given to it; an officer: one worker's; "
        "each worker's consents read recorded as case",
    ),
    "Query.sources": root(purpose=False, note="agency health, no personal data"),
    "Query.missions": root(purpose=False, note="the missions' public directory"),
    "Query.cohort": root(
        S.COHORT_READ,
        only=CRISIS,
        note="one bulk audit entry (filter, count); a mission-bound token: its mission only",
    ),
    "Query.protectionAlerts": root(
        S.CASE_READ,
        note="each alert a protection read; a mission-bound token: its mission's alerts only",
    ),
    "Query.auditCheckpoints": root(
        S.AUDIT_READ, purpose=False, note="signed checkpoints for witnesses, no personal data"
    ),
    "Query.coverageStatistics": root(
        S.STATISTICS_READ,
        purpose=False,
        note="a release's table after disclosure control: counts, no person",
    ),
    "Query.statisticsTables": root(
        S.STATISTICS_READ, purpose=False, note="the latest release's table names"
    ),
    "Query.partnerStatistics": root(
        S.STATISTICS_READ,
        purpose=False,
        note="counts with differential privacy, spending the client's yearly budget",
    ),
    # --- Mutation: each commits with its audit entries (hub.graphql.audit.commit_audited) --
    "Mutation.openCase": root(
        S.CASE_WRITE,
        category="case",
        note="CRITICAL and the emergency kinds (DEATH, DETENTION, TRAFFICKING, MISSING, "
        "DEATH_PENALTY, SEXUAL_VIOLENCE) also need emergency",
    ),
    "Mutation.updateCaseStatus": root(
        S.CASE_WRITE,
        category="case",
        note="only the opener, officers of the case's mission, or case:admin",
    ),
    "Mutation.registerWebhook": root(
        S.CASE_READ,
        partner=CONSENT,
        note="receives the events the client reads; a partner's: its cases (no notes) "
        "and its consents' ends",
    ),
    "Mutation.removeWebhook": root(
        S.CASE_READ, partner=CONSENT, note="only the client's own webhooks"
    ),
    "Mutation.grantConsent": root(
        S.SELF, self_reads=True, note="the worker signed in (the self token) only"
    ),
    "Mutation.revokeConsent": root(
        S.CASE_WRITE, self_reads=True, note="the worker's own, or an officer's (case:write)"
    ),
    "Mutation.referCase": root(
        S.PARTNER,
        category="case",
        partner=CONSENT,
        note="a partner with a consent in force for the worker; routed to the mission",
    ),
    "Mutation.confirmMatch": root(S.IDENTITY_ADMIN, category="identity"),
    "Mutation.rejectMatch": root(S.IDENTITY_ADMIN, category="identity"),
    "Mutation.splitWorker": root(S.IDENTITY_ADMIN, category="identity"),
    "Mutation.breakGlass": root(
        S.EMERGENCY,
        only=frozenset({Purpose.EMERGENCY}),
        note="an officer signed in, never a machine client; 5 an hour; a BREAK_GLASS entry",
    ),
    "Mutation.acknowledgeAlert": root(
        S.CASE_WRITE,
        category="protection",
        note="a note is required; a mission-bound token: its mission's alerts only",
    ),
    "Mutation.markReached": root(
        S.COHORT_READ,
        S.CASE_WRITE,
        only=CRISIS,
        category="consular",
        note="a census worker; a mission-bound token: its mission's only (else NOT_FOUND, "
        "recorded); no case, no case event; one entry with the mark",
    ),
    "Mutation.witnessAuditCheckpoints": root(
        S.AUDIT_READ, purpose=False, note="checkpoints to one of the client's own webhooks"
    ),
    # --- Subscription ---------------------------------------------------------------
    "Subscription.caseEvents": root(
        S.CASE_READ, category="case", note="checked at connection_init (hub/graphql/live.py)"
    ),
    "Subscription.protectionAlerts": root(
        S.CASE_READ,
        category="protection",
        note="checked at connection_init; a mission-bound token: its mission's alerts only",
    ),
    # --- Worker: the sections -------------------------------------------------------
    "Worker.id": Rule(Gate.WITHIN, within="the lookup that returned the worker"),
    "Worker.identity": section(ID_READ, "identity", self_reads=True, partner="identity"),
    "Worker.placements": section(
        S.PLACEMENT_READ,
        "placement",
        self_reads=True,
        partner="placement",
        note="a partner: employers' contacts only for LEGAL_AID",
    ),
    "Worker.socialSecurity": section(
        S.SOCIAL_SECURITY_READ, "social_security", self_reads=True, partner="social_security"
    ),
    "Worker.consular": section(
        S.CONSULAR_READ,
        "consular",
        self_reads=False,
        partner="consular",
        note="a partner: never the address abroad",
    ),
    "Worker.cases": section(
        S.CASE_READ,
        "case",
        self_reads=False,
        partner="case",
        note="officers' summaries and notes: never self; a partner: the hub's cases (its "
        "consented case only, when bound to one), without notes",
    ),
    "Worker.protection": section(
        S.PROTECTION_READ,
        "protection",
        self_reads=True,
        note="findings redacted to what the token reads (Finding.*)",
    ),
    "Worker.sources": field(
        None,
        None,
        self_reads=True,
        partner="identity",
        note="only agencies whose section the token reads (KIND_SCOPES)",
    ),
    # --- Identity ---------------------------------------------------------------------
    **_within(
        "Identity",
        "Worker.identity",
        "fullName otherNames birthDate sex originProvince originRegency passports passportLast4",
    ),
    "Identity.nik": field(
        S.WORKER_NIK_READ,
        "nik",
        self_reads=True,
        note="masked (part of identity) without worker.nik:read; always for a partner",
    ),
    "Identity.phone": field(
        S.WORKER_CONTACT_READ,
        "contact",
        self_reads=True,
        partner="contact",
        note="the worker's own number",
    ),
    "Identity.nextOfKin": field(
        S.WORKER_CONTACT_READ,
        "contact",
        self_reads=False,
        partner="next_of_kin",
        note="never on a self token; a partner only when the worker included it",
    ),
    "Identity.links": field(
        ID_READ,
        "identity",
        self_reads=True,
        note="only agencies whose section the token reads (local ids are KPJ, ID PMI…)",
    ),
    **_within("Passport", "Worker.identity", "number issuedOn expiresOn"),
    **_within(
        "Consent",
        "Query.consents",
        "id version workerId organisation organisationName purpose categories includeNextOfKin "
        "validFrom validUntil status caseId channel officer receipt",
    ),
    **_within("ConsentReceipt", "Query.consents", "textId textEn textHash signature keyId"),
    **_within("ConsentText", "Query.consentText", "textId textEn textHash"),
    **_within("Contact", "Identity.nextOfKin", "name relation phone address"),
    **_within("SourceLink", "Identity.links", "agency localId matchMethod confidence"),
    # --- Placements -------------------------------------------------------------------
    **_within(
        "Placement",
        "Worker.placements",
        "placementId pmiId cardNumber status scheme destinationCountry occupation sector "
        "employer agency contractStart contractEnd contractEndorsed orientationCompleted "
        "departedOn returnedOn provenance",
    ),
    **_within("Employer", "Worker.placements", "name country city phone"),
    **_within("PlacementAgency", "Worker.placements", "name licenseNumber licenseStatus phone"),
    # --- Social security ----------------------------------------------------------------
    **_within(
        "SocialSecurity", "Worker.socialSecurity", "kpj coverages contributions claims provenance"
    ),
    **_within("ProgramCoverage", "Worker.socialSecurity", "program phase start end active"),
    **_within("Contribution", "Worker.socialSecurity", "period amount paidOn"),
    **_within("Claim", "Worker.socialSecurity", "program status submittedOn amount paidOn"),
    # --- Consular and cases ---------------------------------------------------------------
    **_within(
        "ConsularRecord",
        "Worker.consular",
        "reported mission reportedOn addressAbroad lastContactOn provenance",
    ),
    **_within(
        "Case",
        "Worker.cases",
        "id kind status severity openedAt mission summary agencies provenance workerId source "
        "updatedAt history accompaniedBy",
    ),
    **_within("CaseHistoryEntry", "Worker.cases", "event at status previousStatus note agency"),
    **_within("CaseEvent", "Subscription.caseEvents", "case event at"),
    # --- Protection -----------------------------------------------------------------------
    **_within(
        "ProtectionStatus",
        "Worker.protection",
        "level phase complete findings evaluatedAt rulesVersion",
    ),
    **_within("Finding", "Worker.protection", "code severity"),
    "Finding.evidence": field(
        None,
        None,
        self_reads=True,
        note="only records of sections the token reads (a BPJS record id is the KPJ)",
    ),
    "Finding.message": field(
        None,
        None,
        self_reads=True,
        note="a finding of a section the token does not read says only that it exists; "
        "self: an officer of <mission> is handling your case",
    ),
    "Finding.action": field(None, None, self_reads=True, note="as Finding.message"),
    "Finding.actionsFor": field(
        None,
        None,
        self_reads=True,
        note="as Finding.message (each party's own actions); self: a case notice, or a finding "
        "of a section the token does not read, is the WORKER's action",
    ),
    # --- Shared shapes ------------------------------------------------------------------------
    **_within("Provenance", "the field returning it", "agency system recordId fetchedAt stale"),
    **_within("SourceStatus", "Worker.sources", "agency state fetchedAt message"),
    **_public("Mission", "code name city country phone", "the missions' public directory"),
    **_public("PageInfo", "hasNextPage endCursor", "a page cursor"),
    # --- Search, review, audit ------------------------------------------------------------
    **_within("WorkerConnection", "Query.searchWorkers", "edges pageInfo"),
    **_within("WorkerEdge", "Query.searchWorkers", "node score cursor matchedOn"),
    **_within(
        "MatchCandidate",
        "Query.matchCandidates",
        "id record recordWorkerId workerId confidence weight ambiguous status evidence createdAt",
    ),
    **_within("MatchCandidateConnection", "Query.matchCandidates", "edges pageInfo totalCount"),
    **_within("MatchCandidateEdge", "Query.matchCandidates", "node cursor"),
    **_within("MatchCandidatePageInfo", "Query.matchCandidates", "hasNextPage endCursor"),
    **_within("MatchEvidence", "Query.matchCandidates", "attribute level weight"),
    **_within("AgencyRecordRef", "Query.matchCandidates", "agency localId"),
    **_within("SplitResult", "Mutation.splitWorker", "workerId newWorkerId"),
    **_within("CohortConnection", "Query.cohort", "edges pageInfo totalCount countsByLevel"),
    **_within("CohortEdge", "Query.cohort", "node cursor level lastContactOn contactMark"),
    **_within(
        "ContactMark",
        "the field returning it (Query.cohort, Mutation.markReached)",
        "workerId reached markedAt missionCode",
    ),
    **_within("LevelCount", "Query.cohort", "level count"),
    **_within(
        "ProtectionAlert",
        "Query.protectionAlerts",
        "id workerId missionCode previousLevel level newFindings raisedAt acknowledgedAt cursor",
    ),
    **_within("AccessLogConnection", "Query.accessLog", "entries pageInfo"),
    **_within(
        "AccessLogEntry",
        "Query.accessLog",
        "at agencyId agencyEn purpose operation categories breakGlass consentId",
    ),
    **_within("AccessLogPageInfo", "Query.accessLog", "hasNextPage endCursor"),
    # --- The caller, agencies, federation, mutations' answers -------------------------------
    **_within("Principal", "Query.me", "clientId subject scopes purpose"),
    **_within("SourceHealth", "Query.sources", "agency state breakerOpen latencyMsP50"),
    **_within("_Service", "Query._service", "sdl"),
    **_within("BreakGlassGrant", "Mutation.breakGlass", "id workerId expiresAt reason"),
    **_within("Webhook", "Mutation.registerWebhook", "id url missionCode createdAt"),
    **_within("WebhookRegistration", "Mutation.registerWebhook", "webhook secret"),
    **_within(
        "AuditCheckpoint",
        "Query.auditCheckpoints",
        "id seq headHash signedAt keyId signature purgedBeforeSeq nextPublicKey",
    ),
    **_within(
        "StatisticsTable",
        "Query.coverageStatistics",
        "release table referenceDate rulesVersion disclosureRule disclosureRuleId cells total "
        "titleId titleEn dimensionNames sources linkage",
    ),
    **_within(
        "StatisticsCell", "Query.coverageStatistics", "dimensions count suppressed amount rate"
    ),
    **_within("StatisticsDimension", "Query.coverageStatistics", "name value"),
    **_within(
        "StatisticsSource",
        "Query.coverageStatistics",
        "agency oldestFetch newestFetch answered unavailable",
    ),
    **_within("StatisticsLinkage", "Query.coverageStatistics", "method percent"),
    **_within(
        "NoisyStatisticsTable",
        "Query.partnerStatistics",
        "release table referenceDate cells noiseScale rho budgetRemaining privacy",
    ),
}

# Which scope reads the records of each kind an agency holds: an agency's "section". Beside
# other kinds PERSON never counts (that BPJS holds a person record is BPJS membership); an
# agency of person records only is an identity source (Worker.identity).
KIND_SCOPES: dict[str, str] = {
    "PLACEMENT": S.PLACEMENT_READ,
    "LICENSE": S.PLACEMENT_READ,
    "MEMBERSHIP": S.SOCIAL_SECURITY_READ,
    "CONSULAR_REPORT": S.CONSULAR_READ,
    "ENDORSEMENT": S.CONSULAR_READ,
    "CASE": S.CASE_READ,
}

# The Worker section each section scope opens.
SCOPE_SECTIONS: dict[str, str] = {
    r.scope: c for c, r in POLICY.items() if r.gate is Gate.SECTION and r.scope is not None
}


def rule(coordinate: str) -> Rule:
    return POLICY[coordinate]


def unlocks(scope: str) -> list[str]:
    """The ROOT, SECTION and FIELD coordinates that need ``scope``, in table order."""
    return [
        c
        for c, r in POLICY.items()
        if scope in r.scopes and r.gate in (Gate.ROOT, Gate.SECTION, Gate.FIELD)
    ]


__all__ = [
    "ALL_PURPOSES",
    "CONSENT",
    "CRISIS",
    "DATA_PURPOSES",
    "KIND_SCOPES",
    "POLICY",
    "SCOPE_SECTIONS",
    "Gate",
    "Rule",
    "rule",
    "unlocks",
]
