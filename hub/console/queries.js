// The GraphQL documents the console sends (the contract is docs/schema.graphql).
// Findings are asked in both languages at once, so switching language needs no new request.

const FINDINGS = `findings { code severity message(lang: ID) messageEn: message(lang: EN)
  action(lang: ID) actionEn: action(lang: EN) }`;

export const ME = `query ConsoleMe { me { clientId subject scopes purpose } }`;

const CASE = `id workerId source kind status severity openedAt summary agencies mission { code name }`;

export const WORKER = `query ConsoleWorker($id: ID!) {
  worker(id: $id) {
    id
    protection { level phase complete evaluatedAt ${FINDINGS} }
    identity {
      nik fullName otherNames birthDate sex originProvince originRegency phone
      passports { number expiresOn }
      nextOfKin { name relation phone address }
    }
    placements {
      placementId status destinationCountry occupation contractStart contractEnd
      contractEndorsed orientationCompleted departedOn returnedOn
      employer { name country city phone }
      agency { name licenseNumber licenseStatus phone }
    }
    socialSecurity {
      kpj
      coverages { program phase start end active }
      claims { program status submittedOn amount }
    }
    consular { reported reportedOn addressAbroad lastContactOn mission { code name city country phone } }
    cases { ${CASE} }
    sources { agency state fetchedAt message }
  }
}`;

// A result row: enough to tell two people of the same name apart (birth date, the newest
// passport's last four characters, where and for whom they work, their mission, the agencies
// that know them, the protection level), never the whole NIK or passport number. Only the
// sections the token's scopes read are asked: a refused section would be a refusal recorded
// for every row.
const RESULT_SECTIONS = [
  ["placement:read", "placements { status destinationCountry employer { city } }"],
  ["consular:read", "consular { mission { code name } }"],
  ["protection:read", "protection { level }"],
];

function result(scopes) {
  const sections = RESULT_SECTIONS.filter(([scope]) => scopes.includes(scope)).map(([, s]) => s);
  return `id identity { fullName birthDate passportLast4 links { agency } } ${sections.join(" ")}`;
}

export function searchQuery(scopes) {
  return `query ConsoleSearch($q: String!, $first: Int, $after: String) {
  searchWorkers(query: $q, first: $first, after: $after) {
    edges { score matchedOn node { ${result(scopes)} } }
    pageInfo { hasNextPage endCursor }
  }
}`;
}

export function byIdQuery(scopes) {
  return `query ConsoleFindId($id: ID!) { worker(id: $id) { ${result(scopes)} } }`;
}

export const MISSIONS = `query ConsoleMissions { missions { code name city country phone } }`;


export const BREAK_GLASS = `mutation ConsoleBreakGlass($id: ID!, $reason: String!) {
  breakGlass(workerId: $id, reason: $reason) { id expiresAt }
}`;

export const OPEN_CASE = `mutation ConsoleOpenCase($input: OpenCaseInput!) {
  openCase(input: $input) { ${CASE} }
}`;

export const UPDATE_CASE = `mutation ConsoleUpdateCase($id: ID!, $status: CaseStatus!, $note: String!) {
  updateCaseStatus(id: $id, status: $status, note: $note) { ${CASE} }
}`;

export const CASE_EVENTS = `subscription ConsoleCaseEvents {
  caseEvents { event at case { ${CASE} } }
}`;

// The worker's own page asks only what the rules address to the worker (actionsFor WORKER):
// never the officer's, the placement company's or BPJS's actions.
const WORKER_FINDINGS = `findings { code severity
  workerActions: actionsFor(party: WORKER, lang: ID)
  workerActionsEn: actionsFor(party: WORKER, lang: EN) }`;

export const MINE = `query ConsoleMine($id: ID!) {
  worker(id: $id) {
    id
    protection { level phase complete ${WORKER_FINDINGS} }
    placements { status destinationCountry }
  }
  accessLog(workerId: $id, first: 50) {
    entries { at agencyId agencyEn purpose operation categories breakGlass consentId }
  }
  missions { code name city country phone }
}`;

// Consents to partner organisations (hub/partners): the worker grants, reviews, revokes; a
// case worker lists those given to the organisation and reads only what they open.
const CONSENT = `id version workerId organisation organisationName purpose categories
  includeNextOfKin validFrom validUntil status caseId channel
  receipt { textId textEn textHash }`;

export const MY_CONSENTS = `query ConsoleConsents { consents { ${CONSENT} } }`;

export const CONSENT_TEXT = `query ConsoleConsentText($input: GrantConsentInput!) {
  consentText(input: $input) { textId textEn textHash }
}`;

export const GRANT = `mutation ConsoleGrant($input: GrantConsentInput!) {
  grantConsent(input: $input) { ${CONSENT} }
}`;

export const REVOKE = `mutation ConsoleRevoke($id: ID!) { revokeConsent(id: $id) { ${CONSENT} } }`;

export const PARTNER_CONSENTS = `query ConsolePartnerConsents {
  consents { id workerId organisationName purpose categories validUntil status caseId }
}`;

// Only the sections the consent opens are asked: a refused one would be a refusal recorded.
const PARTNER_SECTIONS = {
  identity: "identity { fullName nik birthDate sex originRegency passportLast4 }",
  case: `cases { id kind status openedAt mission { code name } accompaniedBy
    history { event at status } }`,
};

export function partnerWorkerQuery(categories) {
  const sections = Object.entries(PARTNER_SECTIONS)
    .filter(([category]) => categories.includes(category)).map(([, s]) => s);
  return `query ConsolePartnerWorker($id: ID!) { worker(id: $id) { id ${sections.join(" ")} } }`;
}

export const REFER = `mutation ConsoleRefer($w: ID!, $c: ID!, $kind: CaseKind!, $summary: String!) {
  referCase(workerId: $w, consentId: $c, kind: $kind, summary: $summary) {
    id status mission { code name } accompaniedBy
  }
}`;
// The crisis page (crisis.js): a cohort, each person with only the sections the token reads
// (a refused section would be a refusal recorded for every row), and each one's latest
// roll-call mark (marks.js).
const COHORT_SECTIONS = [
  ["placement:read", "placements { status destinationCountry employer { city } }"],
  ["consular:read", "consular { mission { code name } }"],
];

export function cohortQuery(scopes) {
  const sections = COHORT_SECTIONS.filter(([scope]) => scopes.includes(scope)).map(([, s]) => s);
  if (scopes.includes("worker.identity:read")) {
    const contact = scopes.includes("worker.contact:read")
      ? "phone nextOfKin { name relation phone }" : "";
    sections.unshift(`identity { fullName birthDate ${contact} }`);
  }
  return `query ConsoleCohort($filter: CohortFilter!, $first: Int, $after: String) {
  cohort(filter: $filter, first: $first, after: $after) {
    totalCount countsByLevel { level count }
    pageInfo { hasNextPage endCursor }
    edges { level lastContactOn contactMark { reached markedAt }
      node { id ${sections.join(" ")} } }
  }
}`;
}

export const MARK_REACHED = `mutation ConsoleMarkReached($w: ID!, $r: Boolean!) {
  markReached(workerId: $w, reached: $r) { reached markedAt }
}`;

const ALERT = `id workerId missionCode previousLevel level newFindings raisedAt acknowledgedAt`;

export const ALERT_LIST = `query ConsoleAlerts { protectionAlerts(first: 20) { ${ALERT} } }`;

export const ALERT_EVENTS = `subscription ConsoleAlertEvents { protectionAlerts { ${ALERT} } }`;

export const ACKNOWLEDGE_ALERT = `mutation ConsoleAcknowledgeAlert($id: ID!, $note: String!) {
  acknowledgeAlert(id: $id, note: $note) { ${ALERT} }
}`;
