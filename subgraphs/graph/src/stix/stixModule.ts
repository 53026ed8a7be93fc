/**
 * The STIX API: `stixBundle`, a STIX 2.1 bundle export of a selection or a
 * ThreatReport (stixExport.ts). STIX import is the ingest pipeline's STIX
 * format (ingest/stix.ts with the domain objects of stixObjects.ts).
 */
import type { RequestContext } from "@intelgraph/kit";
import type { IntelModule, IntelModuleDeps } from "../intel/intelModule.ts";
import { createStixExport } from "./stixExport.ts";

export const stixTypeDefs = /* GraphQL */ `
  "What to export as a STIX bundle: a selection of entities, or a ThreatReport. Give exactly one."
  input StixBundleInput {
    "Entity ids; the bundle holds those visible to you and the relationships among them."
    ids: [ID!]
    "A ThreatReport: the bundle holds it, what it refers to and the relationships among those."
    threatReportId: ID
  }

  "A STIX 2.1 bundle, ready to save as a file."
  type StixBundleExport {
    fileName: String!
    "application/stix+json"
    contentType: String!
    "The bundle as JSON text."
    content: String!
    "The highest marking of its content: share the file at most that widely."
    marking: TlpMarking!
    "STIX objects in the bundle (entities and relationships; the TLP marking definitions not counted)."
    objectCount: Int!
  }

  extend type Query {
    "A STIX 2.1 bundle of a selection or a report, within your clearance (metered as an export, audited)."
    stixBundle(input: StixBundleInput!): StixBundleExport!
  }
`;

export async function createStixModule(deps: IntelModuleDeps): Promise<IntelModule> {
  const exporter = createStixExport(deps);
  return {
    resolvers: {
      Query: {
        stixBundle: (_: unknown, args: { input: unknown }, ctx: RequestContext) =>
          exporter.stixBundle(ctx.principal, args.input, ctx.requestId),
      },
    },
  };
}
