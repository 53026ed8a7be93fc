import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject, onTestFinished, TestRunner } from "vitest";
import { createAllInOne, type AllInOnePlatform, type StoreConfig } from "@intelgraph/gateway";
import { gql } from "./graphqlClient.ts";
import { createTestLogger } from "./testLogger.ts";

declare module "vitest" {
  export interface ProvidedContext {
    stores: { NEO4J_URI: string; NEO4J_USER: string; NEO4J_PASSWORD: string; MONGODB_URI: string };
  }
}

export const randomSecret = () => randomBytes(32).toString("base64url");

type IngestKeys =
  | "INGEST_WORKER"
  | "INGEST_LEASE_MS"
  | "INGEST_BATCH_SIZE"
  | "INGEST_MAX_IN_FLIGHT"
  | "INGEST_MAX_UPLOAD_BYTES"
  | "INGEST_BILLING_RECHECK_MS";
/** Tests run without a model backend (askModel.test.ts starts the ask service with a fake one itself). */
type ModelKeys = "NL_MODEL_URL" | "NL_MODEL_NAME" | "NL_MODEL_API_KEY" | "NL_MODEL_TIMEOUT_MS";

/** Store settings plus fresh secrets and a Mongo database of its own for one test file (all strings: also usable as env). */
export function testConfig(
  dbPrefix: string,
): Omit<StoreConfig, IngestKeys | ModelKeys | "AUDIT_ANCHOR_INTERVAL_MS"> & { NODE_ENV: "test"; HOST: string } {
  const stores = inject("stores");
  return {
    ...stores,
    NEO4J_DATABASE: "neo4j",
    MONGODB_DB: `t_${dbPrefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`,
    PRINCIPAL_SIGNING_KEY: randomSecret(),
    SESSION_JWT_SECRET: randomSecret(),
    SESSION_TTL_SECONDS: 3600,
    CONNECTOR_SECRET_KEY: randomSecret(),
    NODE_ENV: "test",
    HOST: "127.0.0.1",
  };
}

export interface TestPlatform extends AllInOnePlatform, AsyncDisposable {
  config: ReturnType<typeof testConfig>;
  operatorToken: string;
  /** Creates a tenant through the gateway (as the platform operator) with an admin, and signs the admin in. */
  newTenant(label: string, plan?: "FREE" | "TEAM" | "ENTERPRISE"): Promise<TestTenant>;
  /**
   * Stops the platform and starts a new one on the same stores, database and port (state must survive);
   * same secrets unless `change` replaces some settings (e.g. a session key rotation), which then stay.
   */
  restart(change?: Partial<Pick<StoreConfig, "SESSION_JWT_SECRET" | "SESSION_JWT_PREVIOUS_SECRETS">>): Promise<void>;
  /** Stops the platform and drops its database and its tenants' graph data; once, however often called (also `[Symbol.asyncDispose]`). */
  stopAndDrop(): Promise<void>;
}

export interface TestTenant {
  id: string;
  slug: string;
  adminId: string;
  adminEmail: string;
  adminPassword: string;
  token: string;
}

const OPERATOR_PASSWORD = randomSecret();

export async function login(url: string, email: string, password: string): Promise<string> {
  const res = await gql<{ login: { token: string } }>(
    url,
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
    { e: email, p: password },
  );
  if (!res.data?.login) throw new Error(`login failed for ${email}: ${JSON.stringify(res.errors)}`);
  return res.data.login.token;
}

export interface TestPlatformOptions {
  production?: boolean;
  /** NODE_ENV=development: the only mode with introspection and field suggestions. */
  development?: boolean;
  ingest?: Partial<Pick<StoreConfig, IngestKeys>>;
  /** Serve this built console at `/` (the e2e tests pass clients/web/dist). */
  consoleDir?: string;
  /** More settings (e.g. SMTP_URL for billing alert e-mails). */
  config?: Partial<Pick<StoreConfig, "SMTP_URL" | "ALERT_EMAIL_FROM">>;
}

/**
 * A platform for the tests of a file or `describe` block, the usual form:
 * started before them (beforeAll) and stopped and dropped after them (afterAll),
 * so no file can forget its cleanup. The returned object is filled in when the
 * platform has started: use it in hooks and tests, not at the top level.
 */
export function useTestPlatform(name: string, options: TestPlatformOptions = {}): TestPlatform {
  const self = {} as TestPlatform;
  let started = false;
  beforeAll(async () => {
    await launchTestPlatform(name, options, self);
    started = true;
  });
  afterAll(async () => {
    if (started) await self.stopAndDrop();
  });
  return new Proxy(self, {
    get(target, key, receiver) {
      if (!started && typeof key === "string" && key !== "then" && !(key in target))
        throw new Error(`test platform "${name}" is used before its beforeAll started it: use it inside hooks and tests`);
      return Reflect.get(target, key, receiver);
    },
  });
}

/**
 * Starts the all-in-one platform on a free port against the real stores, for one
 * test: it registers its own cleanup (stopped and dropped when the test finishes),
 * and is an AsyncDisposable, so `await using platform = await startTestPlatform(…)`
 * stops it earlier, at the end of the block. Outside a test, use useTestPlatform.
 */
export async function startTestPlatform(name: string, options: TestPlatformOptions = {}): Promise<TestPlatform> {
  if (!TestRunner.getCurrentTest())
    throw new Error("startTestPlatform() cleans up after the test that calls it; for a file or describe block use useTestPlatform()");
  const platform = await launchTestPlatform(name, options, {} as TestPlatform);
  onTestFinished(() => platform.stopAndDrop());
  return platform;
}

/** Starts a platform and fills `self` with it (useTestPlatform hands `self` out before the start). */
async function launchTestPlatform(name: string, options: TestPlatformOptions, self: TestPlatform): Promise<TestPlatform> {
  const config = testConfig(name);
  // NODE_ENV decides introspection, field suggestions and the landing page.
  if (options.production) (config as { NODE_ENV: string }).NODE_ENV = "production";
  if (options.development) (config as { NODE_ENV: string }).NODE_ENV = "development";
  const start = (port: number) =>
    createAllInOne({
      config: { ...config, ...options.ingest, ...options.config },
      logger: createTestLogger(name),
      port,
      socketRecheckMs: 500,
      // Limits and alert rules changed through the API apply (almost) at once.
      tenantCacheTtlMs: 100,
      ...(options.consoleDir ? { consoleDir: options.consoleDir } : {}),
    });
  let platform = await start(0);
  const suffix = randomBytes(4).toString("hex");
  const operatorEmail = `operator-${suffix}@platform.test`;
  await platform.governance.ensureTenantWithAdmin({
    tenant: { name: "Platform", slug: `platform-${suffix}`, region: "eu-west-1", plan: "ENTERPRISE" },
    admin: { email: operatorEmail, password: OPERATOR_PASSWORD, platformAdmin: true },
  });
  const operatorToken = await login(platform.url, operatorEmail, OPERATOR_PASSWORD);

  let stopped: Promise<void> | undefined;
  const stopAndDrop = async () => {
    // Background work first: FerretDB's SQLite backend crashes (SIGBUS) when a database is dropped under a reader.
    await platform.graph.ingest.worker?.stop();
    await platform.graph.intel.stop();
    await platform.playbooks.worker.stop();
    await platform.scheduler.stop();
    const db = platform.stores.mongo.db;
    const tenantIds = (await db.collection("governance_tenants").find({}).toArray()).map((t) => t._id);
    const session = platform.stores.driver.session();
    try {
      await session.run("MATCH (n) WHERE n.tenantId IN $ids DETACH DELETE n", { ids: tenantIds });
    } finally {
      await session.close();
    }
    await db.dropDatabase();
    await platform.stop();
  };

  Object.assign(self, platform, {
    config,
    operatorToken,
    async newTenant(label, plan = "TEAM") {
      const slug = `${label}-${randomBytes(4).toString("hex")}`;
      const created = await gql<{ createTenant: { id: string } }>(
        platform.url,
        `mutation($input: CreateTenantInput!) { createTenant(input: $input) { id } }`,
        { input: { name: `Tenant ${label}`, slug, region: "eu-west-1", plan } },
        { token: operatorToken },
      );
      if (!created.data?.createTenant) throw new Error(`createTenant failed: ${JSON.stringify(created.errors)}`);
      const tenantId = created.data.createTenant.id;
      const adminEmail = `admin@${slug}.test`;
      const adminPassword = `pw-${randomBytes(8).toString("hex")}`;
      const user = await gql<{ createUser: { id: string } }>(
        platform.url,
        `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
        { input: { email: adminEmail, password: adminPassword, role: "ADMIN", tenantId } },
        { token: operatorToken },
      );
      if (!user.data?.createUser) throw new Error(`createUser failed: ${JSON.stringify(user.errors)}`);
      return {
        id: tenantId,
        slug,
        adminId: user.data.createUser.id,
        adminEmail,
        adminPassword,
        token: await login(platform.url, adminEmail, adminPassword),
      };
    },
    async restart(change = {}) {
      Object.assign(config, change);
      await platform.graph.ingest.worker?.stop();
      await platform.stop();
      platform = await start(Number(new URL(platform.url).port));
      Object.assign(self, platform);
    },
    stopAndDrop() {
      return (stopped ??= stopAndDrop());
    },
    [Symbol.asyncDispose]() {
      return self.stopAndDrop();
    },
  } satisfies Omit<TestPlatform, keyof AllInOnePlatform>);
  return self;
}
