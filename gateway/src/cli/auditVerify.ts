/**
 * Verifies tenants' audit hash chains straight from the store, without the
 * API: for an auditor with database access and the anchor key.
 *
 *   pnpm audit:verify --tenant <id or slug> [--from N] [--to N] [--json]
 *   pnpm audit:verify --all
 *
 * Exit code 0 when every chain verifies, 1 when one is broken (the report names
 * the first broken link), 2 on bad usage or configuration.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import {
  baseConfigSchema,
  connectMongo,
  loadConfig,
  mongoChainSource,
  verifyChain,
  AUDIT_COLLECTION,
  type ChainReport,
} from "@intelgraph/kit";
import { auditAnchorKeysOf } from "../platformSettings.ts";

const configSchema = baseConfigSchema
  .pick({ MONGODB_URI: true, MONGODB_DB: true, PRINCIPAL_SIGNING_KEY: true })
  .extend({ AUDIT_ANCHOR_KEY: z.string().min(32).optional() });

function usage(message: string): never {
  console.error(`${message}\nusage: pnpm audit:verify (--tenant <id or slug> [--from N] [--to N] | --all) [--json]`);
  process.exit(2);
}

async function main() {
  const { values } = parseArgs({
    options: {
      tenant: { type: "string" },
      all: { type: "boolean", default: false },
      from: { type: "string" },
      to: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (!values.tenant === !values.all) usage("give --tenant or --all");
  const seq = (v: string | undefined, name: string) => {
    if (v === undefined) return null;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) usage(`--${name} must be a position (1 or more)`);
    return n;
  };
  const range = { fromSeq: seq(values.from, "from"), toSeq: seq(values.to, "to") };

  let config: z.infer<typeof configSchema>;
  try {
    config = loadConfig(configSchema, process.env);
  } catch (error) {
    usage((error as Error).message);
  }
  const mongo = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
  try {
    const keys = auditAnchorKeysOf(config as Parameters<typeof auditAnchorKeysOf>[0]);
    const tenants = mongo.db.collection<{ _id: string; slug: string }>("governance_tenants");
    let ids: string[];
    if (values.all) ids = (await mongo.db.collection(AUDIT_COLLECTION).distinct("tenantId", { seq: { $exists: true } })) as string[];
    else {
      const tenant = await tenants.findOne({ $or: [{ _id: values.tenant! }, { slug: values.tenant! }] });
      ids = [tenant?._id ?? values.tenant!];
    }
    const source = mongoChainSource(mongo.db);
    const reports: ChainReport[] = [];
    for (const id of ids) reports.push(await verifyChain(source, id, keys, range));
    if (values.json) console.log(JSON.stringify(reports, null, 2));
    else
      for (const r of reports) {
        const span = r.fromSeq === null ? "empty" : `positions ${r.fromSeq}–${r.toSeq} from ${r.startedFrom.toLowerCase()}`;
        console.log(
          r.ok
            ? `ok      ${r.tenantId}: ${r.eventsChecked} events, ${r.anchorsChecked} anchors (${span})`
            : `BROKEN  ${r.tenantId}: ${r.firstBreak!.kind} at position ${r.firstBreak!.seq}${r.firstBreak!.eventId ? ` (event ${r.firstBreak!.eventId})` : ""}: ${r.firstBreak!.detail}`,
        );
      }
    process.exitCode = reports.every((r) => r.ok) ? 0 : 1;
  } finally {
    await mongo.close();
  }
}

await main();
