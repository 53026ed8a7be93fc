/**
 * Roles → permissions. The single source for what each role may do; every
 * operation names the permission it needs in `operations.ts`.
 */
export const PERMISSIONS = [
  "graph:read",
  "graph:write",
  "ingest:read",
  "ingest:write",
  "ingest:approve",
  "audit:read",
  "audit:manage",
  "holds:manage",
  "retention:manage",
  "subjects:export",
  "reports:read",
  "reports:write",
  "reports:export",
  "branding:manage",
  "ask:manage",
  "intel:manage",
  "users:manage",
  "billing:read",
  "billing:manage",
  "billing:reconcile",
  "playbooks:read",
  "playbooks:write",
  "connectors:read",
  "connectors:write",
  "tenants:create",
  "tenants:manage",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const TENANT_ROLES = ["ADMIN", "ANALYST", "VIEWER", "COMPLIANCE", "OPERATOR", "SUPPORT", "BILLING"] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];
/** Platform operators (the `platform` tenant), never a tenant role. */
export const PLATFORM_ADMIN = "PLATFORM_ADMIN";
export type Role = TenantRole | typeof PLATFORM_ADMIN;

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  // Everything in the tenant; creating tenants and changing their limits is the platform's.
  ADMIN: PERMISSIONS.filter((p) => p !== "tenants:create" && p !== "tenants:manage" && p !== "billing:reconcile"),
  ANALYST: [
    "graph:read",
    "graph:write",
    "ingest:read",
    "ingest:write",
    "reports:read",
    "reports:write",
    "reports:export",
    "playbooks:read",
    "playbooks:write",
    "connectors:read",
  ],
  VIEWER: ["graph:read", "ingest:read", "reports:read", "playbooks:read", "connectors:read"],
  COMPLIANCE: [
    "graph:read",
    "ingest:read",
    "audit:read",
    "audit:manage",
    "holds:manage",
    "retention:manage",
    "subjects:export",
    "reports:read",
    "reports:export",
    "playbooks:read",
    "connectors:read",
  ],
  OPERATOR: [
    "graph:read",
    "graph:write",
    "ingest:read",
    "ingest:write",
    "reports:read",
    "reports:write",
    "playbooks:read",
    "playbooks:write",
    "connectors:read",
    "connectors:write",
  ],
  SUPPORT: ["graph:read", "ingest:read", "playbooks:read", "connectors:read"],
  BILLING: ["billing:read", "billing:manage"],
  // Cost reconciliation compares tenants with each other: the platform's alone.
  PLATFORM_ADMIN: ["tenants:create", "tenants:manage", "users:manage", "billing:reconcile"],
};

/** Every permission any of `roles` grants (unknown roles grant nothing). */
export function permissionsOf(roles: readonly string[]): Set<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles) for (const p of ROLE_PERMISSIONS[role as Role] ?? []) granted.add(p);
  return granted;
}
