// scripts/stores.mjs in the situations a newcomer meets first: no install yet, no Java, no Go,
// a port someone else holds, a store that never answers or dies at once. Each must fail fast,
// exit 1 and say what to do. The script runs from a copy in a temporary root, so these
// cases never touch the checkout's own .data/ or .cache/ (or the stores the suite runs on).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const roots: string[] = [];

function sandbox({ installed = true } = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), "stores-script-"));
  roots.push(root);
  mkdirSync(path.join(root, "scripts"));
  cpSync(path.join(REPO, "scripts/stores.mjs"), path.join(root, "scripts/stores.mjs"));
  cpSync(path.join(REPO, "scripts/stores"), path.join(root, "scripts/stores"), { recursive: true });
  cpSync(path.join(REPO, "scripts/package.json"), path.join(root, "scripts/package.json"));
  if (installed) symlinkSync(path.join(REPO, "scripts/node_modules"), path.join(root, "scripts/node_modules"));
  return root;
}

/** Runs the copy with a minimal environment: no JAVA_HOME, no store URIs, PATH as given. */
function stores(root: string, args: string[], env: Record<string, string> = {}) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(root, "scripts/stores.mjs"), ...args], {
    env: { PATH: "/nonexistent", HOME: root, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - started) / 1000 };
}

/** A FerretDB "build" that the script takes as current: the stamp matches the pinned sources. */
function fakeFerret(root: string, body: string) {
  const src = path.join(root, "scripts/stores/ferretdb");
  const srcHash = createHash("sha256");
  for (const f of ["go.mod", "go.sum", "main.go"]) srcHash.update(readFileSync(path.join(src, f)));
  const ferretdb = /github\.com\/FerretDB\/FerretDB\s+(v\S+)/.exec(readFileSync(path.join(src, "go.mod"), "utf8"))![1];
  const bin = path.join(root, ".cache/stores/bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, "ferretdb-intelgraph"), `#!/bin/sh\n${body}\n`);
  chmodSync(path.join(bin, "ferretdb-intelgraph"), 0o755);
  writeFileSync(path.join(bin, "ferretdb-intelgraph.stamp.json"), JSON.stringify({ ferretdb, srcHash: srcHash.digest("hex") }));
}

const listening = () =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
const portOf = (server: Server) => (server.address() as { port: number }).port;
const closed = (server: Server) => new Promise((resolve) => server.close(resolve));
async function freePort(): Promise<number> {
  const server = await listening();
  const port = portOf(server);
  await closed(server);
  return port;
}
/** Starts FerretDB from the sandbox with the real PATH (the stand-in binary needs sleep). */
const startFerret = (root: string, port: number, timeoutSeconds: number) =>
  stores(root, ["start", "ferretdb"], {
    PATH: process.env.PATH ?? "",
    FERRETDB_PORT: String(port),
    FERRETDB_START_TIMEOUT: String(timeoutSeconds),
  });

/** Running, not merely a zombie waiting for a parent that never reaps (pid 1 here may not). */
const runs = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe("scripts/stores.mjs when something is missing or in the way", () => {
  it("before pnpm install: names the missing drivers and the command, at once, starting nothing", () => {
    const root = sandbox({ installed: false });
    const r = stores(root, ["start"], { PATH: process.env.PATH ?? "" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("neo4j-driver and mongodb are not installed");
    expect(r.stderr).toContain("Run `pnpm install` first");
    expect(r.seconds).toBeLessThan(20); // not the 120 s readiness wait it used to sit through
    expect(existsSync(path.join(root, ".data/neo4j"))).toBe(false);
    expect(existsSync(path.join(root, ".cache"))).toBe(false);
  });

  it("without Java: says Neo4j needs Java 17 or 21 and how to use an external Neo4j instead", () => {
    const root = sandbox();
    const r = stores(root, ["start", "neo4j"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Java not found");
    expect(r.stderr).toContain("Java 17 or 21");
    expect(r.stderr).toContain("NEO4J_URI");
    expect(existsSync(path.join(root, ".cache/stores/neo4j/lib"))).toBe(false); // nothing downloaded
  });

  it("without Go (and no FerretDB built yet): says Go is needed once, or MONGODB_URI", async () => {
    const root = sandbox();
    const port = await freePort();
    const r = stores(root, ["start", "ferretdb"], { FERRETDB_PORT: String(port) });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Go not found on PATH");
    expect(r.stderr).toContain("MONGODB_URI");
  });

  it("a port held by another process: names the port, its variable and how to find the holder", async () => {
    const root = sandbox();
    const holder = await listening();
    try {
      const r = stores(root, ["start", "ferretdb"], { FERRETDB_PORT: String(portOf(holder)) });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`port ${portOf(holder)} (FerretDB / MongoDB wire protocol) on 127.0.0.1 is already in use`);
      expect(r.stderr).toContain("FERRETDB_PORT=<port>");
      expect(existsSync(path.join(root, ".data/ferretdb.pid"))).toBe(false);
    } finally {
      await closed(holder);
    }
  });

  it("a store that never answers: gives up after its timeout, points at the log, stops what it started", async () => {
    const root = sandbox();
    fakeFerret(root, 'echo "listening soon, honest" ; echo $$ > "$0.pid" ; exec sleep 60');
    const port = await freePort();
    const r = startFerret(root, port, 2);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`mongodb://127.0.0.1:${port}/ did not become ready within 2.0s`);
    expect(r.stderr).toContain("Raise FERRETDB_START_TIMEOUT");
    expect(r.stderr).toContain(`Log: ${path.join(root, ".data/ferretdb/ferretdb.log")}`);
    expect(r.stderr).toContain("listening soon, honest"); // the log's last lines are shown
    const pid = Number(readFileSync(path.join(root, ".cache/stores/bin/ferretdb-intelgraph.pid"), "utf8"));
    await expect.poll(() => runs(pid), { timeout: 5_000 }).toBe(false);
    expect(existsSync(path.join(root, ".data/ferretdb.pid"))).toBe(false);
    expect(stores(root, ["status", "ferretdb"]).stdout).toMatch(/^ferretdb\s+stopped/);
  });

  it("a store that dies at start: says so with its exit code and the log's last lines, without waiting", async () => {
    const root = sandbox();
    fakeFerret(root, 'echo "cannot open data dir: permission denied" >&2 ; exit 3');
    const port = await freePort();
    const r = startFerret(root, port, 30);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("FerretDB exited during startup (3)");
    expect(r.stderr).toContain("cannot open data dir: permission denied");
    expect(r.seconds).toBeLessThan(20);
  });
});
