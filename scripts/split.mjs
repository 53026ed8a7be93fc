#!/usr/bin/env node
// Split mode: one process per service (six subgraphs, then the gateway), the
// production shape on one machine. Ports come from SUBGRAPH_PORT_<NAME> and
// GATEWAY_PORT (defaults 4001–4006 and 4000). Prints the gateway URL when all
// are up; stops all of them on Ctrl-C / SIGTERM, or when any one exits.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const main = path.join(root, "gateway/src/main.ts");
const SUBGRAPHS = { graph: 4001, audit: 4002, governance: 4003, billing: 4004, playbooks: 4005, connectors: 4006 };
const WAVES = [["graph", "audit", "governance", "billing"], ["connectors"], ["playbooks"]];
const seedDemo = process.argv.includes("--seed-demo");
const children = []; // { name, child }
let stopping = false;

function start(service, env) {
  return new Promise((resolve, reject) => {
    // tsx is loaded in-process: its CLI wrapper SIGKILLs a child that does not
    // acknowledge a relayed signal within 30 ms, which a busy machine cannot promise.
    const args = ["--import", "tsx", main, "--service", service, ...(seedDemo && service === "governance" ? ["--seed-demo"] : [])];
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    children.push({ name: service, child });
    let output = "";
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split("\n")) if (line.trim()) process.stdout.write(`[${service}] ${line}\n`);
      const up = /is up: (\S+)/.exec(output);
      if (up) resolve(up[1]);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code, signal) => {
      if (!stopping) {
        reject(new Error(`${service} exited (${signal ?? code}) before or after start:\n${output.slice(-2000)}`));
        void stopAll(1);
      }
    });
  });
}

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      ({ name, child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const started = Date.now();
          child.once("exit", (exitCode, signal) => {
            // A service that does not shut down cleanly makes the whole run fail, and says which one.
            if (exitCode !== 0) {
              code = code || 1;
              console.error(`[split] ${name} did not stop cleanly (${signal ?? `exit ${exitCode}`}) after ${Date.now() - started} ms`);
            }
            resolve();
          });
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 20_000).unref();
        }),
    ),
  );
  process.exit(code);
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

try {
  // Services share events through the database unless told otherwise.
  const env = { PUBSUB: "mongo", ...process.env };
  // In waves: a service that calls peers (connector syncs call graph; playbook steps call graph and
  // connectors) starts once their URLs are known, so every port may be 0 (the kernel's pick).
  for (const wave of WAVES) {
    const urls = await Promise.all(
      wave.map(async (name) => {
        const port = Number(process.env[`SUBGRAPH_PORT_${name.toUpperCase()}`] ?? SUBGRAPHS[name]);
        const url = await start(name, { ...env, [`SUBGRAPH_PORT_${name.toUpperCase()}`]: String(port) });
        return [name, url];
      }),
    );
    for (const [name, url] of urls) env[`SUBGRAPH_URL_${name.toUpperCase()}`] = url;
  }
  const gatewayUrl = await start("gateway", env);
  console.log(`IntelGraph (split) is up: ${gatewayUrl}`);
  if (seedDemo) console.log("  demo logins: see the [governance] lines above, or .data/dev-secrets.json");
} catch (error) {
  console.error(`[split] ${error.message}`);
  await stopAll(1);
}
