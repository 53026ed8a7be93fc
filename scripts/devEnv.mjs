#!/usr/bin/env node
// Prints `export KEY='value'` lines for running the platform locally: the stores'
// connection settings (from `node scripts/stores.mjs start`) plus development
// secrets generated once and kept in .data/dev-secrets.json (mode 600).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = path.join(root, ".data");
const secretsFile = path.join(dataDir, "dev-secrets.json");
const storesFile = path.join(dataDir, "stores.env.json");

const gen = () => randomBytes(32).toString("base64url");
const readJson = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {});

export function devEnv() {
  fs.mkdirSync(dataDir, { recursive: true });
  const secrets = readJson(secretsFile);
  let changed = false;
  for (const key of ["PRINCIPAL_SIGNING_KEY", "SESSION_JWT_SECRET", "CONNECTOR_SECRET_KEY", "AUDIT_ANCHOR_KEY"]) {
    if (!secrets[key]) ((secrets[key] = gen()), (changed = true));
  }
  for (const key of ["DEMO_PASSWORD", "OPERATOR_PASSWORD"]) {
    if (!secrets[key])
      ((secrets[key] = `${key === "DEMO_PASSWORD" ? "demo" : "op"}-${randomBytes(9).toString("base64url")}`), (changed = true));
  }
  if (changed) fs.writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  if (!fs.existsSync(storesFile) && !(process.env.NEO4J_URI && process.env.MONGODB_URI)) {
    throw new Error(`${path.relative(root, storesFile)} is missing: run \`node scripts/stores.mjs start\` first`);
  }
  // Explicit environment wins over generated values.
  const merged = { ...secrets, ...readJson(storesFile) };
  for (const key of Object.keys(merged)) if (process.env[key]) merged[key] = process.env[key];
  return merged;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const env = devEnv();
    for (const [key, value] of Object.entries(env)) console.log(`export ${key}='${String(value).replace(/'/g, "'\\''")}'`);
  } catch (error) {
    console.error(`[dev-env] ${error.message}`);
    process.exit(1);
  }
}
