/** A playbooks service in a process of its own (split mode's `--service playbooks`), for the multi-process schedule tests. */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from "@intelgraph/kit";
import { gql, type GraphQLResponse } from "./graphqlClient.ts";
import type { testConfig } from "./platform.ts";

export interface PlaybooksProcess {
  url: string;
  output(): string;
  /** SIGTERM, and resolves with the exit code once it has shut down. */
  stop(): Promise<number | null>;
}

export async function startPlaybooksProcess(config: ReturnType<typeof testConfig>): Promise<PlaybooksProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "gateway/src/main.ts", "--service", "playbooks"], {
    env: {
      ...process.env,
      ...config,
      SUBGRAPH_PORT_PLAYBOOKS: "0",
      NODE_ENV: "test",
      LOG_LEVEL: process.env["PLAYBOOK_CHILD_LOG_LEVEL"] ?? "warn",
    } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the playbooks process did not start in time:\n${output.slice(-3000)}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /IntelGraph playbooks subgraph is up: (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => reject(new Error(`the playbooks process exited with ${code}:\n${output.slice(-3000)}`)));
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Calls a subgraph directly as `principal`, signed with the shared principal key (as the gateway would). */
export function callAs<T = Record<string, any>>(
  url: string,
  key: string,
  principal: Principal,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  return gql<T>(url, query, variables, { headers: { [PRINCIPAL_HEADER]: signPrincipal(principal, randomUUID(), key) } });
}
