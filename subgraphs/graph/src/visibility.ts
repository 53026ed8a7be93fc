/**
 * What a caller may see in the graph, for the Cypher we write by hand (ask,
 * neighbourhood, report evidence, exports, subject exports, STIX export,
 * scoring, suppression): the same rule `@authorization` applies to the
 * generated API (typeDefs.ts). A node is visible when it is the caller's
 * tenant's, marked at or below the caller's clearance and — for indicators —
 * not suppressed; a relationship when both ends are and its own marking is
 * within the clearance. Tenancy stays each query's own `n.tenantId =
 * $tenantId`; these add the marking (and suppression) terms.
 */
import { clearanceOf, DEFAULT_ENTITY_MARKING, markingsUpTo, type Principal, type TlpMarking } from "@intelgraph/kit";

/** The `$markings` parameter the clauses below read: the markings up to the caller's clearance. */
export const markingsParam = (principal: Pick<Principal, "clearance" | "roles">): TlpMarking[] => markingsUpTo(clearanceOf(principal));

/** `n.marking IN $markings` (a node without one is treated as the default marking). */
export const markingVisible = (alias: string, param = "markings") => `coalesce(${alias}.marking, '${DEFAULT_ENTITY_MARKING}') IN $${param}`;

/** Marking visible and, for a suppressed indicator, hidden unless `includeSuppressed`. */
export const nodeVisible = (alias: string, options: { includeSuppressed?: boolean; param?: string } = {}) =>
  options.includeSuppressed
    ? markingVisible(alias, options.param)
    : `${markingVisible(alias, options.param)} AND coalesce(${alias}.suppressed, false) = false`;

/** A relationship's own marking within the clearance (its ends are checked as nodes). */
export const relationshipVisible = (alias: string, param = "markings") => markingVisible(alias, param);
