// A crisis roll call's marks, "reached" or "not reached", kept as the worker's own case record.
// The schema has no free-standing case note (a note rides on a status change), so each mark is
// a hub case of kind OTHER and severity INFO, opened with a fixed summary and closed at once
// with a note: every involved agency sees it, its history says who and when, and a closed case
// does not change the protection verdict. The latest such case is the worker's mark.

import { errorText, graphql } from "./api.js";
import { OPEN_CASE, UPDATE_CASE } from "./queries.js";

const PREFIX = "[KRISIS] ";
export const SUMMARIES = {
  REACHED: `${PREFIX}Berhasil dihubungi / Reached`,
  NOT_REACHED: `${PREFIX}Tidak berhasil dihubungi / Not reached`,
};
const CLOSING_NOTE = "Catatan panggilan krisis / Crisis roll-call record";

/** The worker's latest mark among ``cases``: {mark, at} or null. */
export function latestMark(cases) {
  let found = null;
  for (const c of cases || []) {
    const mark = Object.keys(SUMMARIES).find((key) => SUMMARIES[key] === c.summary);
    if (mark && (!found || c.openedAt > found.at)) found = { mark, at: c.openedAt };
  }
  return found;
}

/** Record ``mark`` for ``workerId``: open the case, close it with the note. Returns
 * {mark, at} or throws an Error whose message is for people. */
export async function recordMark(workerId, mark, missionCode) {
  const input = { workerId, kind: "OTHER", severity: "INFO", summary: SUMMARIES[mark] };
  if (missionCode) input.missionCode = missionCode;
  const opened = await graphql(OPEN_CASE, { input });
  const item = opened.data?.openCase;
  if (!item) throw new Error(opened.errors.map(errorText).join(" — ") || "?");
  const closed = await graphql(UPDATE_CASE, { id: item.id, status: "CLOSED", note: CLOSING_NOTE });
  if (!closed.data?.updateCaseStatus) {
    throw new Error(closed.errors.map(errorText).join(" — ") || "?");
  }
  return { mark, at: item.openedAt };
}
