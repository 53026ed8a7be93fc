import type { TestProject } from "vitest/node";
// The store manager is a plain ESM script so it can run before any install step.
import { startStores, stopStores, storesStatus } from "../../scripts/stores.mjs";

let startedHere: string[] = [];

/**
 * Starts the real Neo4j and FerretDB (or uses NEO4J_URI / MONGODB_URI) once per
 * run and hands their settings to the tests. Stores that were already running
 * are left running; the ones started here are stopped at the end.
 */
export async function setup(project: TestProject) {
  const before = await storesStatus();
  const stores = await startStores();
  startedHere = Object.entries(before)
    .filter(([, s]) => (s as { state: string }).state === "stopped")
    .map(([name]) => name);
  project.provide("stores", stores);
}

export async function teardown() {
  if (startedHere.length && process.env["KEEP_STORES"] !== "1") await stopStores({ only: startedHere, quiet: true });
}
