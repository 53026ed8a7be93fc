/**
 * TLP 2.0 markings, used as clearance. Every graph entity and relationship
 * carries a marking; every user and API token has a maximum marking (its
 * clearance) and never sees what is marked above it. AMBER+STRICT is spelt
 * AMBER_STRICT in the API (GraphQL enum values cannot hold `+`); `tlpLabel`
 * gives the TLP spelling for documents and STIX.
 */
import type { Principal } from "./principal.ts";

export const TLP_MARKINGS = ["CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"] as const;
export type TlpMarking = (typeof TLP_MARKINGS)[number];

/** What an entity gets when neither its source nor its mapping names a marking. */
export const DEFAULT_ENTITY_MARKING: TlpMarking = "GREEN";

export const isTlpMarking = (value: unknown): value is TlpMarking =>
  typeof value === "string" && (TLP_MARKINGS as readonly string[]).includes(value);

/** 0 for CLEAR up to 4 for RED. */
export const markingRank = (marking: TlpMarking): number => TLP_MARKINGS.indexOf(marking);

/** The markings a caller with this clearance may see, lowest first. */
export const markingsUpTo = (clearance: TlpMarking): TlpMarking[] => TLP_MARKINGS.slice(0, markingRank(clearance) + 1);

export const isWithinClearance = (marking: TlpMarking | null | undefined, clearance: TlpMarking): boolean =>
  markingRank(marking ?? DEFAULT_ENTITY_MARKING) <= markingRank(clearance);

/** The highest of some markings (an export carries the highest marking of its content); CLEAR for none. */
export function highestMarking(markings: Iterable<TlpMarking | null | undefined>): TlpMarking {
  let highest = 0;
  for (const m of markings) highest = Math.max(highest, markingRank(m ?? DEFAULT_ENTITY_MARKING));
  return TLP_MARKINGS[highest]!;
}

/** The lower of two clearances: an API token is held to its own clearance and to its creator's. */
export const lowerMarking = (a: TlpMarking, b: TlpMarking): TlpMarking => (markingRank(a) <= markingRank(b) ? a : b);

/** `TLP:AMBER+STRICT`, as TLP 2.0 writes it. */
export const tlpLabel = (marking: TlpMarking): string => `TLP:${marking === "AMBER_STRICT" ? "AMBER+STRICT" : marking}`;

/**
 * A user's clearance when none is set on them: administrators RED, everyone
 * else AMBER (what a tenant member is normally shared; RED is for named
 * people, and an admin lowers or raises anyone with `setUserClearance`).
 */
export const defaultClearanceFor = (roles: readonly string[]): TlpMarking => (roles.includes("ADMIN") ? "RED" : "AMBER");

/** The principal's clearance; the role default when it carries none (a session issued before clearances existed). */
export const clearanceOf = (principal: Pick<Principal, "clearance" | "roles">): TlpMarking =>
  principal.clearance ?? defaultClearanceFor(principal.roles);
