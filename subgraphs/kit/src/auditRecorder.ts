import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import type { Logger } from "./logger.ts";
import type { PubSub } from "./pubsub.ts";

/** Tenant id used for events that belong to no tenant (e.g. a failed login for an unknown e-mail). */
export const PLATFORM_TENANT = "_platform";

export const AUDIT_COLLECTION = "audit_events";

export interface AuditEvent {
  _id: string;
  tenantId: string;
  actor: { userId: string | null; kind: string; tokenId?: string };
  action: string;
  service: string;
  targetType: string | null;
  targetIds: string[];
  outcome: "success" | "failure";
  errorCode: string | null;
  requestId: string;
  arguments: Record<string, unknown>;
  at: Date;
}

export type AuditEventInput = Omit<AuditEvent, "_id" | "at">;

export interface AuditRecorder {
  record(event: AuditEventInput): Promise<AuditEvent>;
}

export const auditTopic = (tenantId: string) => `audit.${tenantId}`;

const SENSITIVE = /pass(word)?|secret|token|key/i;

/** Longest string kept whole in an audit event (an imported file is not copied into every event). */
const MAX_AUDIT_STRING = 2000;

/** Copies mutation arguments for the audit trail without anything secret-looking, and without huge strings. */
export function redactArguments(value: unknown, depth = 0): unknown {
  if (depth > 4) return "[truncated]";
  if (typeof value === "string" && value.length > MAX_AUDIT_STRING) {
    return `${value.slice(0, MAX_AUDIT_STRING)}…[${value.length - MAX_AUDIT_STRING} more characters]`;
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactArguments(v, depth + 1));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SENSITIVE.test(k) ? "[redacted]" : redactArguments(v, depth + 1)]));
  }
  return value;
}

/**
 * Writes audit events to the shared audit collection and announces them on
 * pub/sub. A failed write is logged loudly and rethrown: a state change whose
 * audit event is lost must not look successful.
 */
export function createAuditRecorder(deps: { db: Db; pubsub: PubSub; logger: Logger }): AuditRecorder {
  const collection = deps.db.collection<AuditEvent>(AUDIT_COLLECTION);
  return {
    async record(input) {
      const event: AuditEvent = { ...input, _id: randomUUID(), at: new Date() };
      try {
        await collection.insertOne(event);
      } catch (error) {
        deps.logger.error({ err: error, action: event.action, tenantId: event.tenantId }, "audit write failed");
        throw error;
      }
      await deps.pubsub.publish(auditTopic(event.tenantId), event);
      return event;
    },
  };
}

export async function ensureAuditIndexes(db: Db): Promise<void> {
  const collection = db.collection(AUDIT_COLLECTION);
  await collection.createIndex({ tenantId: 1, at: -1, _id: -1 }, { name: "tenant_time" });
}
