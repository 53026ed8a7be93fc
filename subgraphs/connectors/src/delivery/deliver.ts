/**
 * Sends one delivery to ServiceNow, idempotently: the link (our incident ↔
 * sys_id) or, failing that, a lookup by correlation_id finds an incident an
 * earlier attempt created, so a retry or replay updates it instead of
 * creating a second one. Retries inline: 429 waits for Retry-After (the
 * bucket blocks), 5xx and network failures back off exponentially with
 * jitter; anything still failing is handed back for the dead-letter queue.
 */
import type { Connector } from "../connectorService.ts";
import type { ConnectorRuntime } from "../connectorRuntime.ts";
import { ServiceNowError, type TableClient } from "../servicenow/tableClient.ts";
import type { IncidentRecord } from "../servicenow/contract.ts";
import type { DeliveryPayload, DeliveryStore } from "./deliveryStore.ts";

export interface DeliveryOutcome {
  ok: boolean;
  attempts: number;
  sysId: string | null;
  number: string | null;
  created: boolean;
  error: string | null;
}

/** Inline backoff: 250 ms · 2^n, ±50 % jitter, at most 8 s. */
export const inlineBackoffMs = (attempt: number, random = Math.random) => Math.min(8_000, 250 * 2 ** attempt) * (0.5 + random());

async function sendOnce(
  client: TableClient,
  store: DeliveryStore,
  connector: Connector,
  incidentId: string,
  payload: DeliveryPayload,
  at: () => Date,
): Promise<{ record: IncidentRecord; created: boolean }> {
  const tenant = connector.tenantId;
  const linkId = store.linkId(connector._id, incidentId);
  const link = await store.links.forTenant(tenant).findOne({ _id: linkId });
  let sysId = link?.sysId ?? null;
  let record: IncidentRecord | null = null;
  let created = false;
  const notes = [payload.workNotes, payload.indicatorNote !== (link?.indicatorNote ?? null) ? payload.indicatorNote : null].filter(Boolean);
  if (!sysId) {
    // No link yet: only the holder of the create claim looks the incident up by correlation_id and creates it if
    // missing; another process finding the claim held backs off, then finds the link or that incident.
    const release = await store.claimCreate(tenant, linkId, at());
    if (!release) throw new ServiceNowError("BUSY", "Another process is creating this incident in ServiceNow right now.");
    try {
      sysId = (await client.findByCorrelation(payload.correlationId))?.sys_id ?? null;
      if (!sysId) {
        record = await client.create({ ...payload.fields, ...(notes.length ? { work_notes: notes.join("\n\n") } : {}) });
        sysId = record.sys_id;
        created = true;
      }
    } finally {
      await release();
    }
  }
  if (!created && (payload.resolve === null || notes.length)) {
    // UPSERT: the fields again (a no-op when unchanged); RESOLVE: only the notes before resolving.
    const fields = payload.resolve === null ? payload.fields : {};
    record = await client.update(sysId, { ...fields, ...(notes.length ? { work_notes: notes.join("\n\n") } : {}) });
  }
  if (payload.resolve) record = await client.resolve(sysId, payload.resolve.closeCode, payload.resolve.closeNotes);
  record ??= await client.get(sysId);
  if (!link || (payload.indicatorNote ?? null) !== link.indicatorNote) {
    await store.saveLink(tenant, {
      _id: linkId,
      connectorId: connector._id,
      incidentId,
      sysId: record.sys_id,
      number: record.number,
      correlationId: payload.correlationId,
      indicatorNote: payload.indicatorNote ?? link?.indicatorNote ?? null,
      linkedAt: at(),
    });
  }
  return { record, created };
}

/** Up to `attempts` tries; never throws for a ServiceNow failure (the outcome says). */
export async function deliverWithRetries(
  runtime: ConnectorRuntime,
  store: DeliveryStore,
  connector: Connector,
  incidentId: string,
  payload: DeliveryPayload,
  attempts: number,
  at: () => Date,
): Promise<DeliveryOutcome> {
  // One incident's deliveries go one at a time here, so two pushes cannot both miss the correlation_id lookup.
  return runtime.serialize(`${connector._id}:${incidentId}`, () =>
    attemptAll(runtime, store, connector, incidentId, payload, attempts, at),
  );
}

async function attemptAll(
  runtime: ConnectorRuntime,
  store: DeliveryStore,
  connector: Connector,
  incidentId: string,
  payload: DeliveryPayload,
  attempts: number,
  at: () => Date,
): Promise<DeliveryOutcome> {
  const client = runtime.client(connector);
  let lastError = "not attempted";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const { record, created } = await sendOnce(client, store, connector, incidentId, payload, at);
      return { ok: true, attempts: attempt, sysId: record.sys_id, number: record.number, created, error: null };
    } catch (error) {
      if (!(error instanceof ServiceNowError)) throw error;
      lastError = error.message;
      if (!error.retryable) return { ok: false, attempts: attempt, sysId: null, number: null, created: false, error: lastError };
      // A 429 has blocked the bucket until its Retry-After: the next take() waits for it.
      if (attempt < attempts && error.kind !== "RATE_LIMITED") await runtime.sleep(inlineBackoffMs(attempt - 1));
    }
  }
  return { ok: false, attempts, sysId: null, number: null, created: false, error: lastError };
}
