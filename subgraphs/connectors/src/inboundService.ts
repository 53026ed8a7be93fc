/**
 * Incidents from ServiceNow into the graph: pushed by ServiceNow
 * (ingestServiceNowIncident, an API token scoped connectors:write) or pulled
 * (syncServiceNowIncidents and the scheduled sync, by sys_updated_on, page by
 * page, from a stored cursor). Both upsert through the graph's
 * upsertExternalIncident as the caller, keyed by sys_id, so a repeat is a
 * no-op apart from lastSeen. Also the connection test.
 */
import {
  appError,
  ErrorCode,
  requireUser,
  validateInput,
  type AuditHints,
  type Clock,
  type Logger,
  type PeerCaller,
  type Principal,
} from "@intelgraph/kit";
import type { Connector, ConnectorService } from "./connectorService.ts";
import type { ConnectorRuntime } from "./connectorRuntime.ts";
import { incidentRecord, type IncidentRecord } from "./servicenow/contract.ts";
import { fromServiceNow } from "./servicenow/incidentMapping.ts";
import { ServiceNowError } from "./servicenow/tableClient.ts";
import type { createSweepQueue } from "./delivery/sweepQueue.ts";

const UPSERT = `mutation ConnectorUpsert($source: String!, $input: ExternalIncidentInput!) {
  upsertExternalIncident(source: $source, input: $input) { incidentId created changed indicatorsLinked }
}`;

const PAGE_SIZE = 100;
const MAX_PAGES = 50;

export interface InboundDeps {
  connectors: ConnectorService;
  runtime: ConnectorRuntime;
  peers: PeerCaller;
  sweep: ReturnType<typeof createSweepQueue>;
  logger: Logger;
  now: Clock;
}

type Upserted = { incidentId: string; created: boolean; changed: boolean; indicatorsLinked: number };

export function createInboundService(deps: InboundDeps) {
  const { connectors, runtime, peers, now } = deps;

  async function upsert(principal: Principal, connector: Connector, record: IncidentRecord): Promise<Upserted> {
    let input;
    try {
      input = fromServiceNow(record, connector.mapping);
    } catch (error) {
      throw appError(ErrorCode.BAD_USER_INPUT, `The incident's u_intelgraph_indicators cannot be read: ${(error as Error).message}`, {
        problems: [{ path: "u_intelgraph_indicators", message: "a JSON array of { kind, pattern } or lines of kind:pattern" }],
      });
    }
    const data = await peers.call<{ upsertExternalIncident: Upserted }>("graph", principal, {
      query: UPSERT,
      variables: { source: `connector:${connector._id}`, input },
    });
    return data.upsertExternalIncident;
  }

  async function sync(principal: Principal, connector: Connector) {
    const client = runtime.client(connector);
    let cursor = connector.sync.cursor;
    let fetched = 0;
    let upserted = 0;
    let pages = 0;
    const base = [cursor ? `sys_updated_on>=${cursor}` : null, connector.sync.query].filter(Boolean).join("^");
    const query = `${base ? `${base}^` : ""}ORDERBYsys_updated_on`;
    for (let offset: number | null = 0; offset !== null && pages < MAX_PAGES;) {
      const page = await client.list({ query, limit: PAGE_SIZE, offset });
      pages++;
      fetched += page.records.length;
      for (const record of page.records) {
        const result = await upsert(principal, connector, record);
        if (result.changed) upserted++;
        if (!cursor || record.sys_updated_on > cursor) cursor = record.sys_updated_on;
      }
      // The cursor moves per page, so a failure mid-sync resumes where it stopped.
      await connectors.saveCursor(connector.tenantId, connector._id, cursor, new Date(now()));
      offset = page.records.length < PAGE_SIZE ? null : page.nextOffset;
    }
    return { connectorId: connector._id, fetched, upserted, pages, cursor };
  }

  const upstream = (error: unknown): never => {
    if (error instanceof ServiceNowError) {
      throw appError(ErrorCode.UPSTREAM_UNAVAILABLE, error.message, { system: "servicenow", stage: error.kind, httpStatus: error.status });
    }
    throw error;
  };

  return {
    async ingest(principal: Principal, args: { connectorId: string; payload: unknown }, hints: AuditHints) {
      requireUser(principal);
      const connector = await connectors.get(principal, args.connectorId);
      // ServiceNow's business rule may send the Table API envelope or the bare record.
      const body = args.payload as { result?: unknown } | null;
      const record = validateInput(incidentRecord, body && typeof body === "object" && "result" in body ? body.result : body);
      const result = await upsert(principal, connector, record);
      hints.targetIds = [connector._id, result.incidentId];
      return { connectorId: connector._id, sysId: record.sys_id, ...result };
    },

    async sync(principal: Principal, args: { connectorId: string }, hints: AuditHints) {
      requireUser(principal);
      const connector = await connectors.get(principal, args.connectorId);
      hints.targetIds = [connector._id];
      return sync(principal, connector).catch(upstream);
    },

    /** The scheduled pull: every connector with sync enabled and due, as whoever enabled it. */
    async syncDue(): Promise<number> {
      let ran = 0;
      for (const { _id, tenantId } of await deps.sweep.syncEnabled()) {
        const connector = await connectors.byTenant(tenantId, _id);
        const runAs = connector?.sync.runAs;
        if (!connector || !runAs || !connector.sync.enabled) continue;
        const last = connector.sync.lastSyncAt?.getTime() ?? 0;
        if (last + connector.sync.intervalMinutes * 60_000 > now()) continue;
        const principal: Principal = { kind: "user", tenantId, userId: runAs.userId, roles: runAs.roles, scopes: [] };
        try {
          await sync(principal, connector);
          ran++;
        } catch (error) {
          deps.logger.warn({ connectorId: _id, tenantId, err: (error as Error).message }, "scheduled ServiceNow sync failed");
        }
      }
      return ran;
    },

    /** Signs in and reads one incident; the stage that failed, never the secret. */
    async testConnection(principal: Principal, args: { id: string }, hints: AuditHints) {
      const connector = await connectors.get(principal, args.id);
      hints.targetIds = [connector._id];
      const started = now();
      try {
        await runtime.client(connector).list({ limit: 1, fields: ["sys_id", "number", "short_description", "state", "sys_updated_on"] });
        return { ok: true, stage: "OK", httpStatus: 200, message: "Signed in and read the incident table.", latencyMs: now() - started };
      } catch (error) {
        if (!(error instanceof ServiceNowError)) throw error;
        const stage = stageOf(error);
        const e = error;
        return { ok: false, stage, httpStatus: e.status ?? null, message: e.message, latencyMs: now() - started };
      }
    },
  };
}

function stageOf(error: ServiceNowError): "DNS" | "CONNECT" | "AUTH" | "PERMISSION" | "HTTP" {
  switch (error.kind) {
    case "DNS":
    case "CONNECT":
    case "AUTH":
    case "PERMISSION":
      return error.kind;
    default:
      return "HTTP";
  }
}

export type InboundService = ReturnType<typeof createInboundService>;
