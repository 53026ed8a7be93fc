import type { GovernanceService } from "@intelgraph/subgraph-governance";

export interface DemoAccounts {
  demoAdmin: { email: string; password: string; tenantSlug: string };
  operator: { email: string; password: string };
}

/** Idempotently creates the platform operator and a demo tenant with its admin. */
export async function seedDemo(governance: GovernanceService, passwords: { demo: string; operator: string }): Promise<DemoAccounts> {
  const operator = { email: "operator@platform.intelgraph.local", password: passwords.operator };
  await governance.ensureTenantWithAdmin({
    tenant: { name: "Platform", slug: "platform", region: "eu-west-1", plan: "ENTERPRISE" },
    admin: { ...operator, displayName: "Platform operator", platformAdmin: true },
  });
  const demoAdmin = { email: "admin@demo.intelgraph.local", password: passwords.demo, tenantSlug: "demo" };
  await governance.ensureTenantWithAdmin({
    tenant: { name: "Demo", slug: "demo", region: "eu-west-1", plan: "TEAM" },
    admin: { email: demoAdmin.email, password: demoAdmin.password, displayName: "Demo admin" },
  });
  return { demoAdmin, operator };
}
