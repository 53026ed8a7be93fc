import { spawn, type ChildProcess } from "node:child_process";
import { connectStores } from "@intelgraph/gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { login, randomSecret, testConfig } from "../support/platform.ts";
import { subscribe } from "../support/wsClient.ts";

const config = testConfig("split");
const demoPassword = `demo-${randomSecret()}`;
let child: ChildProcess;
let url: string;
let output = "";

beforeAll(async () => {
  // Port 0 everywhere: each service takes a port from the kernel and prints its URL, which the
  // gateway and this test read. Picking "free" ports here and closing them raced (two picks once
  // returned the same port, and the gateway found it taken by the audit subgraph).
  const ports: Record<string, string> = { GATEWAY_PORT: "0" };
  for (const name of ["GRAPH", "AUDIT", "GOVERNANCE", "BILLING", "PLAYBOOKS", "CONNECTORS"]) ports[`SUBGRAPH_PORT_${name}`] = "0";
  child = spawn(process.execPath, ["scripts/split.mjs", "--seed-demo"], {
    env: {
      ...process.env,
      ...config,
      ...ports,
      // Not "test": Apollo Server's own signal handling differs there, and we want the real thing.
      NODE_ENV: "development",
      SESSION_TTL_SECONDS: "3600",
      SESSION_JWT_PREVIOUS_SECRETS: "",
      DEMO_PASSWORD: demoPassword,
      OPERATOR_PASSWORD: randomSecret(),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`split mode did not start in time:\n${output.slice(-3000)}`)), 150_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /IntelGraph \(split\) is up: (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`split mode exited with ${code}:\n${output.slice(-3000)}`)));
  });
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    // Every service shut down cleanly (exit 0), none hit its shutdown timeout.
    const code = await exited;
    expect(code, `split mode exited with ${code}; its last output:\n${output.slice(-4000)}`).toBe(0);
  }
  const stores = await connectStores(config);
  const tenantIds = (await stores.mongo.db.collection("governance_tenants").find({}).toArray()).map((t) => t._id);
  await stores.mongo.db.dropDatabase();
  await stores.driver.executeQuery("MATCH (n) WHERE n.tenantId IN $ids DETACH DELETE n", { ids: tenantIds });
  await stores.close();
}, 60_000);

describe("split mode: one process per service", () => {
  it("serves Neo4j and Mongo data through the gateway over HTTP, and a subscription over graphql-ws", async () => {
    const token = await login(url, "admin@demo.intelgraph.local", demoPassword);
    const { sub } = await subscribe(url, `subscription { auditEventRecorded { action service } }`, token);
    try {
      await new Promise((r) => setTimeout(r, 500));
      const created = await gql(url, `mutation { createPeople(input: [{ name: "Split Person" }]) { people { name } } }`, {}, { token });
      expect(created.data).toEqual({ createPeople: { people: [{ name: "Split Person" }] } });
      const read = await gql(url, `{ me { email tenant { slug } } people { name } }`, {}, { token });
      expect(read.data).toEqual({
        me: { email: "admin@demo.intelgraph.local", tenant: { slug: "demo" } },
        people: [{ name: "Split Person" }],
      });
      // The audit event is raised in the graph process and delivered by the audit process.
      expect(await sub.next()).toEqual({ data: { auditEventRecorded: { action: "createPeople", service: "graph" } } });
    } finally {
      await sub.close();
    }
  });

  it("keeps the subgraph's error code on a refused subscription", async () => {
    const admin = await login(url, "admin@demo.intelgraph.local", demoPassword);
    const email = `viewer-${Date.now()}@demo.test`;
    await gql(
      url,
      `mutation($e: String!) { createUser(input: { email: $e, password: "viewer-password-1", role: VIEWER }) { id } }`,
      { e: email },
      { token: admin },
    );
    const viewer = await login(url, email, "viewer-password-1");
    const { sub } = await subscribe(url, `subscription { auditEventRecorded { action } }`, viewer);
    try {
      const event = (await sub.next()) as { errors?: Array<{ extensions?: { code?: string } }> };
      expect(event.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    } finally {
      await sub.close();
    }
  });
});
