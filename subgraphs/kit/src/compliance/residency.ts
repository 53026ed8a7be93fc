import type { Db } from "mongodb";
import { appError, ErrorCode } from "../errors/errors.ts";

/**
 * Data residency. A tenant lives in one region under one legal entity; data
 * leaves the platform (audit exports, subject exports, later report exports)
 * only to a destination in that region. Every export carries the label and
 * the id of the policy that allowed it; anything else fails closed.
 */
export const RESIDENCY_POLICY_ID = "residency/same-region/v1";

export interface Residency {
  region: string;
  legalEntity: string;
  /** "<region>/<legal entity>", printed on every export. */
  label: string;
  policyId: string;
}

export const residencyOf = (tenant: { region: string; legalEntity?: string | null; name?: string }): Residency => {
  const legalEntity = tenant.legalEntity || tenant.name || "unspecified";
  return { region: tenant.region, legalEntity, label: `${tenant.region}/${legalEntity}`, policyId: RESIDENCY_POLICY_ID };
};

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Allows an export of `tenantId`'s data to `destinationRegion`, or throws
 * RESIDENCY_MISMATCH. Fails closed: an unknown tenant or a tenant without a
 * region exports nowhere.
 */
export async function requireResidency(db: Db, tenantId: string, destinationRegion: string): Promise<Residency> {
  if (!REGION.test(destinationRegion ?? ""))
    throw appError(ErrorCode.BAD_USER_INPUT, "destinationRegion must be a region such as eu-west-1.", { field: "destinationRegion" });
  const tenant = await db
    .collection<{ _id: string; region?: string; legalEntity?: string | null; name?: string }>("governance_tenants")
    .findOne({ _id: tenantId }, { projection: { region: 1, legalEntity: 1, name: 1 } });
  if (!tenant?.region)
    throw appError(ErrorCode.RESIDENCY_MISMATCH, "This tenant has no residency region on record, so nothing may be exported.", {
      policyId: RESIDENCY_POLICY_ID,
    });
  const residency = residencyOf(tenant as { region: string; legalEntity?: string | null; name?: string });
  if (destinationRegion !== residency.region)
    throw appError(
      ErrorCode.RESIDENCY_MISMATCH,
      `This tenant's data must stay in ${residency.region} (${residency.label}); an export to ${destinationRegion} is not allowed. Export to a destination in ${residency.region}.`,
      { tenantRegion: residency.region, destinationRegion, policyId: RESIDENCY_POLICY_ID },
    );
  return residency;
}

/** The GraphQL type every subgraph that returns a residency label declares (a shareable value type). */
export const residencyLabelTypeDefs = /* GraphQL */ `
  "Where a tenant's data lives and which policy allows it to leave."
  type ResidencyLabel @shareable {
    region: String!
    legalEntity: String!
    "region/legal entity"
    label: String!
    policyId: String!
  }
`;
