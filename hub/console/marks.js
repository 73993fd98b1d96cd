// A crisis roll call's marks, "reached" or "not reached": Mutation.markReached, a record of its
// own beside the census. It is not a case: it opens none, reaches no case feed or webhook, and
// does not change the verdict. Each cohort edge carries the worker's latest mark (contactMark).

import { errorText, graphql } from "./api.js";
import { MARK_REACHED } from "./queries.js";

/** A cohort edge's contactMark as the page keeps it: {mark, at} or null. */
export function markOf(contactMark) {
  if (!contactMark) return null;
  return { mark: contactMark.reached ? "REACHED" : "NOT_REACHED", at: contactMark.markedAt };
}

/** Record ``mark`` for ``workerId``. Returns {mark, at} or throws an Error whose message is
 * for people. */
export async function recordMark(workerId, mark) {
  const { data, errors } = await graphql(MARK_REACHED, { w: workerId, r: mark === "REACHED" });
  const made = data?.markReached;
  if (!made) throw new Error(errors.map(errorText).join(" — ") || "?");
  return markOf(made);
}
