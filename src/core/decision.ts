// The access decision: the rules applied in a fixed order, the first to decide wins, otherwise granted.

import {
  type AccessRequest,
  type Decision,
  grantMethod,
  type Rule,
  ruleAntiPassback,
  ruleCredentialKnown,
  ruleCredentialValid,
  ruleHoliday,
  ruleInGroup,
  ruleLinkedToUser,
  ruleLockdown,
  rulePin,
  ruleSchedule,
  ruleUnlockedMode,
  ruleUserValid,
} from "./rules.js";

export { maskCredential } from "./mask.js";
export type { AccessRequest, Decision, Denied, DenyReason, Granted, GrantMethod } from "./rules.js";

/**
 * The order, and why:
 * 1. door mode first — lockdown denies everyone, `unlocked` grants everyone (free access); neither
 *    depends on who is at the door;
 * 2. who presented what (authentication): known credential, credential valid, linked to a user,
 *    user valid, PIN — so an unknown or revoked card is reported as such, never as a schedule miss;
 * 3. what they may do (authorisation): in a group for the door, holiday (overrides schedules, so it
 *    is checked before them), schedule;
 * 4. anti-passback last: it is about movement, so only someone who would otherwise get in is
 *    refused for it, and only grants move the state.
 */
export const ACCESS_RULES: readonly { name: string; rule: Rule }[] = [
  { name: "lockdown", rule: ruleLockdown },
  { name: "unlocked_mode", rule: ruleUnlockedMode },
  { name: "credential_known", rule: ruleCredentialKnown },
  { name: "credential_valid", rule: ruleCredentialValid },
  { name: "linked_to_user", rule: ruleLinkedToUser },
  { name: "user_valid", rule: ruleUserValid },
  { name: "pin", rule: rulePin },
  { name: "in_group", rule: ruleInGroup },
  { name: "holiday", rule: ruleHoliday },
  { name: "schedule", rule: ruleSchedule },
  { name: "anti_passback", rule: ruleAntiPassback },
];

/** Decides one presentation at a reader. Pure: everything, including the time, comes in `request`. */
export function decideAccess(request: AccessRequest): Decision {
  for (const { rule } of ACCESS_RULES) {
    const decision = rule(request);
    if (decision) return decision;
  }
  return { granted: true, method: grantMethod(request.presented.kind) };
}
