import type { TENANT_ROLES } from "@intelgraph/policies";
import type { TlpMarking } from "@intelgraph/kit";
import type { LimitsOverride } from "./limits.ts";

export const TENANTS = "governance_tenants";
export const USERS = "governance_users";

export type Role = (typeof TENANT_ROLES)[number];

export interface TenantRecord {
  _id: string;
  name: string;
  slug: string;
  region: string;
  /** The legal entity that holds the tenant's data (residency label); the tenant's name when not given. */
  legalEntity?: string | null;
  plan: "FREE" | "TEAM" | "ENTERPRISE";
  /** A platform admin's change to the plan's limits, if any. */
  limits?: LimitsOverride | null;
  createdAt: Date;
}

/** Fields an import manages, and that a manual change pins against later imports. */
export type ManagedField = "role" | "displayName" | "active";

export interface FieldOverride {
  value: string | boolean | null;
  reason: string;
  setBy: string;
  setAt: Date;
}

export interface UserRecord {
  _id: string;
  tenantId: string;
  email: string;
  displayName: string | null;
  role: Role;
  platformAdmin: boolean;
  /** Null for users provisioned by an import until an admin sets a password. */
  passwordHash: string | null;
  /** Deactivated users cannot sign in, refresh, or use their API tokens. Missing = true. */
  active?: boolean;
  /** The identity provider's id, when imported. */
  externalId?: string | null;
  source?: "manual" | "import";
  /** Fields changed by hand, which imports leave alone until released. */
  overrides?: Partial<Record<ManagedField, FieldOverride>>;
  /** The highest TLP marking they may see; missing: the role default (`defaultClearanceFor`). */
  clearance?: TlpMarking;
  createdAt: Date;
}

export const isActive = (user: Pick<UserRecord, "active">) => user.active !== false;
