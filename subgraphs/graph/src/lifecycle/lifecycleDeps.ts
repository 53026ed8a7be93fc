import type { Driver, Session } from "neo4j-driver";
import { appError, ErrorCode, type Clock, type Logger, type TlpMarking } from "@intelgraph/kit";
import { matchQuery, type Selector } from "./entitySelector.ts";
import type { LifecycleRepository } from "./lifecycleRepository.ts";

/** What every part of the lifecycle service receives (built once in lifecycleService.ts). */
export interface LifecycleDeps {
  driver: Driver;
  database: string;
  logger: Logger;
  /** Entity labels the tenant has: the built-in ones and its approved types. */
  labelsFor(tenantId: string): Promise<string[]>;
  now: Clock;
  repo: LifecycleRepository;
}

export const sessionOf = (deps: LifecycleDeps, mode: "READ" | "WRITE" = "WRITE"): Session =>
  deps.driver.session({ database: deps.database, defaultAccessMode: mode });

/** The labels a selector picks: its types (each one the tenant must have), or all the tenant's labels. */
export async function selectedLabels(deps: LifecycleDeps, tenantId: string, selector: Selector): Promise<string[]> {
  const labels = await deps.labelsFor(tenantId);
  if (!selector.types) return labels;
  const unknown = selector.types.filter((t) => !labels.includes(t));
  if (unknown.length)
    throw appError(ErrorCode.BAD_USER_INPUT, `Unknown entity type(s): ${unknown.join(", ")}. Known: ${labels.join(", ")}.`, {
      field: "selector.types",
    });
  return selector.types;
}

/** The ids among `ids` that name no entity (live or soft-deleted) in the tenant (within `markings`, when given). */
export async function missingIds(
  deps: LifecycleDeps,
  tenantId: string,
  labels: string[],
  ids: string[],
  markings?: readonly TlpMarking[],
): Promise<string[]> {
  const params: Record<string, unknown> = { tenantId, ...(markings ? { markings } : {}) };
  const s = sessionOf(deps, "READ");
  try {
    const found = await s.executeRead((tx) =>
      tx.run(`${matchQuery(labels, { ids }, params, "both", deps.now())} RETURN collect(n.id) AS ids`, params),
    );
    const have = new Set(found.records[0]?.get("ids") as string[]);
    return ids.filter((id) => !have.has(id));
  } finally {
    await s.close();
  }
}
