/** The indicators list: its orders (score first), its filter from the search text, and its page variables. */
import type { IndicatorsListQueryVariables, IndicatorSort, IndicatorWhere } from "../api/generated/graphql.ts";
import { caseVariants } from "../entities/entityKinds.ts";

export const INDICATOR_ORDERS = {
  "score-desc": { label: "Score, highest first", sort: [{ score: "DESC" }, { pattern: "ASC" }] },
  "score-asc": { label: "Score, lowest first", sort: [{ score: "ASC" }, { pattern: "ASC" }] },
  "last-seen": { label: "Last seen, newest first", sort: [{ lastSeen: "DESC" }, { pattern: "ASC" }] },
  pattern: { label: "Pattern, A–Z", sort: [{ pattern: "ASC" }] },
} satisfies Record<string, { label: string; sort: IndicatorSort[] }>;

export type IndicatorOrder = keyof typeof INDICATOR_ORDERS;

export const DEFAULT_INDICATOR_ORDER: IndicatorOrder = "score-desc";

export const isIndicatorOrder = (value: string | null | undefined): value is IndicatorOrder =>
  value != null && Object.hasOwn(INDICATOR_ORDERS, value);

/** Indicators per page ("Load more" asks for the next). */
export const INDICATOR_PAGE = 50;

const textFilter = (text: string): IndicatorWhere | null => {
  const variants = caseVariants(text);
  return variants.length ? { OR: variants.flatMap((v) => [{ pattern: { contains: v } }, { description: { contains: v } }]) } : null;
};

const all = (clauses: IndicatorWhere[]): IndicatorWhere | undefined =>
  clauses.length === 0 ? undefined : clauses.length === 1 ? clauses[0] : { AND: clauses };

/**
 * The filter: the text in the pattern or description (in the spellings a
 * case-sensitive CONTAINS needs). Neo4j puts nulls first in a descending
 * sort, so the score orders list scored indicators only and the list says
 * how many are not scored yet (`unscored`, the same text filter).
 */
export function indicatorWhere(text: string, order: IndicatorOrder): IndicatorWhere | undefined {
  const clauses = [textFilter(text)].filter((c): c is IndicatorWhere => c !== null);
  if (order === "score-desc" || order === "score-asc") clauses.push({ score: { gte: 0 } });
  return all(clauses);
}

export function indicatorsVariables(text: string, order: IndicatorOrder, pages = 1): IndicatorsListQueryVariables {
  const where = indicatorWhere(text, order);
  const byText = textFilter(text);
  const unscored: IndicatorWhere = all([...(byText ? [byText] : []), { score: { eq: null } }])!;
  return { ...(where ? { where } : {}), unscored, sort: INDICATOR_ORDERS[order].sort, limit: INDICATOR_PAGE * pages, offset: 0 };
}

/** Whether the order leaves unscored indicators out of the list (and the screen should say how many). */
export const hidesUnscored = (order: IndicatorOrder) => order === "score-desc" || order === "score-asc";
