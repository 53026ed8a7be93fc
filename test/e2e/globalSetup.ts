import { spawnSync } from "node:child_process";
import type { TestProject } from "vitest/node";
// Plain ESM scripts, like the store manager: they run before and without any build step.
import { ensureConsoleBuilt } from "../../scripts/console.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    consoleDir: string;
    chromiumPath: string;
  }
}

/** Installs Debian's Chromium if missing (scripts/chromium.sh) and builds the console unless dist is current. */
export function setup(project: TestProject) {
  const chromiumPath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
  const installed = spawnSync("bash", ["scripts/chromium.sh"], { stdio: "inherit", env: { ...process.env, CHROMIUM_PATH: chromiumPath } });
  if (installed.status !== 0) throw new Error(`scripts/chromium.sh failed (exit ${installed.status})`);
  project.provide("chromiumPath", chromiumPath);
  project.provide("consoleDir", ensureConsoleBuilt({ quiet: true }));
}
