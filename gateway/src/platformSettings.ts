import type { SubgraphName } from "./subgraphCatalog.ts";
import { createHmac } from "node:crypto";
import type { Db } from "mongodb";
import { createSecretBox, createSessionKeyring } from "@intelgraph/kit";
import type * as billing from "@intelgraph/subgraph-billing";
import { createTenantLimitsReader } from "@intelgraph/subgraph-governance";
import type * as graph from "@intelgraph/subgraph-graph";
import type * as playbooks from "@intelgraph/subgraph-playbooks";
import type { PlatformConfig } from "./platformConfig.ts";

/**
 * What the composition root derives from config for each service: the store
 * settings the platform needs, and each subgraph's own settings.
 */
export type StoreConfig = Pick<
  PlatformConfig,
  | "MONGODB_URI"
  | "MONGODB_DB"
  | "NEO4J_URI"
  | "NEO4J_USER"
  | "NEO4J_PASSWORD"
  | "NEO4J_DATABASE"
  | "PRINCIPAL_SIGNING_KEY"
  | "SESSION_JWT_SECRET"
  | "SESSION_TTL_SECONDS"
  | "CONNECTOR_SECRET_KEY"
> &
  Partial<Pick<PlatformConfig, "AUDIT_ANCHOR_KEY" | "AUDIT_ANCHOR_INTERVAL_MS">> & {
    PUBSUB?: "memory" | "mongo";
    SESSION_JWT_PREVIOUS_SECRETS?: string[];
  } & Partial<
    Pick<
      PlatformConfig,
      | "INGEST_WORKER"
      | "INGEST_LEASE_MS"
      | "INGEST_BATCH_SIZE"
      | "INGEST_MAX_IN_FLIGHT"
      | "INGEST_MAX_UPLOAD_BYTES"
      | "INGEST_BILLING_RECHECK_MS"
    >
  > &
  Partial<Pick<PlatformConfig, "NL_MODEL_URL" | "NL_MODEL_NAME" | "NL_MODEL_API_KEY" | "NL_MODEL_TIMEOUT_MS">> &
  Partial<Pick<PlatformConfig, "SMTP_URL" | "ALERT_EMAIL_FROM">> &
  /** Split mode: where this process finds its peers (playbook steps, connector syncs). */
  Partial<Pick<PlatformConfig, `SUBGRAPH_URL_${Uppercase<SubgraphName>}`>>;

/** askGraph's settings from config: the model backend only when NL_MODEL_URL is set. */
export function askSettings(config: StoreConfig): graph.AskSettings {
  if (!config.NL_MODEL_URL) return {};
  return {
    model: {
      url: config.NL_MODEL_URL,
      ...(config.NL_MODEL_NAME ? { model: config.NL_MODEL_NAME } : {}),
      ...(config.NL_MODEL_API_KEY ? { apiKey: config.NL_MODEL_API_KEY } : {}),
      ...(config.NL_MODEL_TIMEOUT_MS ? { timeoutMs: config.NL_MODEL_TIMEOUT_MS } : {}),
    },
  };
}

/** Ingest settings from config; the tenant's concurrent-job limit comes from governance's limits. */
export function ingestSettings(config: StoreConfig, db: Db): graph.IngestSettings {
  const limits = createTenantLimitsReader(db);
  return {
    worker: config.INGEST_WORKER ?? true,
    ...(config.INGEST_LEASE_MS ? { leaseMs: config.INGEST_LEASE_MS } : {}),
    ...(config.INGEST_BATCH_SIZE ? { batchSize: config.INGEST_BATCH_SIZE } : {}),
    ...(config.INGEST_BILLING_RECHECK_MS ? { billingRecheckMs: config.INGEST_BILLING_RECHECK_MS } : {}),
    ...(config.INGEST_MAX_IN_FLIGHT ? { maxInFlight: config.INGEST_MAX_IN_FLIGHT } : {}),
    ...(config.INGEST_MAX_UPLOAD_BYTES ? { maxUploadBytes: config.INGEST_MAX_UPLOAD_BYTES } : {}),
    concurrentJobsFor: async (tenantId) => (await limits(tenantId)).concurrentJobs,
  };
}

/**
 * Keys for audit chain anchors: AUDIT_ANCHOR_KEY when set (recommended: a key
 * only the audit service holds), else one derived from the principal signing
 * key so a platform without it still anchors.
 */
export const auditAnchorKeysOf = (config: StoreConfig) => [
  config.AUDIT_ANCHOR_KEY ?? createHmac("sha256", config.PRINCIPAL_SIGNING_KEY).update("intelgraph/audit-anchor/v1").digest("base64url"),
];

/** The session keyring from config: the active secret signs, previous ones still verify. */
export const sessionKeysOf = (config: StoreConfig) =>
  createSessionKeyring(config.SESSION_JWT_SECRET, config.SESSION_JWT_PREVIOUS_SECRETS ?? []);

/** Billing from config: the key that seals webhook secrets (the connectors' secret key), and alert e-mail when SMTP_URL is set. */
/** The playbooks service's webhook-secret box and failure e-mail settings (the same SMTP server as billing's alerts). */
export function playbookSettings(config: StoreConfig): Pick<playbooks.PlaybooksServerDeps, "smtp" | "secretBox"> {
  const secretBox = createSecretBox(config.CONNECTOR_SECRET_KEY);
  if (!config.SMTP_URL) return { secretBox };
  return {
    secretBox,
    smtp: { url: config.SMTP_URL, from: config.ALERT_EMAIL_FROM ?? "IntelGraph playbooks <playbooks@intelgraph.local>" },
  };
}

export function billingSettings(config: StoreConfig): Pick<billing.BillingServerDeps, "smtp" | "secretBox"> {
  const secretBox = createSecretBox(config.CONNECTOR_SECRET_KEY);
  if (!config.SMTP_URL) return { secretBox };
  return { secretBox, smtp: { url: config.SMTP_URL, from: config.ALERT_EMAIL_FROM ?? "IntelGraph billing <billing@intelgraph.local>" } };
}
