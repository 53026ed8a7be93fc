import { z } from "zod";
import { baseConfigSchema } from "@intelgraph/kit";

const secret = (name: string) => z.string({ error: `${name} is required` }).min(32, `${name} must be at least 32 characters`);

/** A TCP port; unset or empty keeps the default (the subgraph's port in subgraphCatalog). */
const port = (name: string) =>
  z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number({ error: `${name} must be a port number (0–65535)` })
      .int(`${name} must be a port number (0–65535)`)
      .min(0, `${name} must be a port number (0–65535)`)
      .max(65535, `${name} must be a port number (0–65535)`)
      .optional(),
  );

/** A seeded account's password (`--seed-demo`); unset or empty means none was given. */
const seedPassword = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());

/** Everything the platform reads from the environment (only in main.ts). */
export const platformConfigSchema = baseConfigSchema.extend({
  /** `memory` (one process) or `mongo` (across processes, used by split mode). */
  PUBSUB: z.enum(["memory", "mongo"]).default("memory"),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  SESSION_JWT_SECRET: secret("SESSION_JWT_SECRET"),
  /** Comma-separated secrets that used to sign sessions: still accepted, never used to sign (key rotation). */
  SESSION_JWT_PREVIOUS_SECRETS: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    )
    .refine(
      (secrets) => secrets.every((s) => s.length >= 32),
      "every previous secret must be at least 32 characters (and contain no comma)",
    ),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  CONNECTOR_SECRET_KEY: secret("CONNECTOR_SECRET_KEY"),
  /** Signs audit chain anchors; derived from PRINCIPAL_SIGNING_KEY when unset (see docs/governance.md). */
  AUDIT_ANCHOR_KEY: secret("AUDIT_ANCHOR_KEY").optional(),
  /** How often grown audit chains get a signed anchor; 0 turns it off. */
  AUDIT_ANCHOR_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** Run an ingest worker inside the graph service (all-in-one and split); `false` when workers run apart. */
  INGEST_WORKER: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /** How long a worker owns a job without a checkpoint; a crashed worker's job resumes elsewhere after it. */
  INGEST_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(20_000).default(1000),
  /** How often a job held by its tenant's quota or budget checks again whether it may go on (docs/billing.md). */
  INGEST_BILLING_RECHECK_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Batches being written at once. 1: batches share nodes (organisations, domains), so a second one mostly waits on the first's locks. */
  INGEST_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(16).default(1),
  INGEST_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 ** 3),
  /** askGraph's optional model backend: an OpenAI-compatible chat completions URL; unset (the default) means none (docs/ask.md). */
  NL_MODEL_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url("NL_MODEL_URL must be an http(s) URL").optional()),
  NL_MODEL_NAME: z.string().min(1).default("gpt-4o-mini"),
  NL_MODEL_API_KEY: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  NL_MODEL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8000),
  /** Where billing alert e-mails go out: an SMTP URL (smtp://user:pass@host:587, smtps://…); unset = e-mail alerts are logged as undeliverable. */
  SMTP_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^smtps?:\/\//, "SMTP_URL must start with smtp:// or smtps://")
      .optional(),
  ),
  ALERT_EMAIL_FROM: z.string().min(3).default("IntelGraph billing <billing@intelgraph.local>"),
  SUBGRAPH_URL_GRAPH: z.url().optional(),
  SUBGRAPH_URL_AUDIT: z.url().optional(),
  SUBGRAPH_URL_GOVERNANCE: z.url().optional(),
  SUBGRAPH_URL_BILLING: z.url().optional(),
  SUBGRAPH_URL_PLAYBOOKS: z.url().optional(),
  SUBGRAPH_URL_CONNECTORS: z.url().optional(),
  /** Split mode: the port a subgraph started with `--service <name>` listens on. */
  SUBGRAPH_PORT_GRAPH: port("SUBGRAPH_PORT_GRAPH"),
  SUBGRAPH_PORT_AUDIT: port("SUBGRAPH_PORT_AUDIT"),
  SUBGRAPH_PORT_GOVERNANCE: port("SUBGRAPH_PORT_GOVERNANCE"),
  SUBGRAPH_PORT_BILLING: port("SUBGRAPH_PORT_BILLING"),
  SUBGRAPH_PORT_PLAYBOOKS: port("SUBGRAPH_PORT_PLAYBOOKS"),
  SUBGRAPH_PORT_CONNECTORS: port("SUBGRAPH_PORT_CONNECTORS"),
  /** Password of the demo tenant's admin, needed by `--seed-demo` (scripts/start.sh sets it). */
  DEMO_PASSWORD: seedPassword,
  /** Password of the platform operator, needed by `--seed-demo` (scripts/start.sh sets it). */
  OPERATOR_PASSWORD: seedPassword,
});

export type PlatformConfig = z.infer<typeof platformConfigSchema>;
