import { readFileSync } from "node:fs";
import { gql } from "./graphqlClient.ts";
import { createMapping, approveMapping, ingestFile } from "./ingest.ts";
import { graphReader, ok } from "./ingestGraph.ts";
import type { TestPlatform } from "./platform.ts";

/** The STIX fixtures of test/fixtures/stix. */
export const stixFixture = (name: string) => new URL(`../fixtures/stix/${name}`, import.meta.url);
export const readStixFixture = (name: string) =>
  JSON.parse(readFileSync(stixFixture(name), "utf8")) as { objects: Array<Record<string, any>> };

/** A STIX mapping, approved, and one job ingesting `file`, waited for. */
export async function importStix(platform: TestPlatform, token: string, file: URL | Buffer, name = "stix") {
  const mappingId = await createMapping(platform.url, token, `${name}-${Math.random().toString(36).slice(2, 8)}`, "STIX", null);
  await approveMapping(platform.url, token, mappingId);
  return ingestFile(platform.url, token, mappingId, file, `${name}.json`);
}

export async function exportStix(platform: TestPlatform, token: string, input: Record<string, unknown>) {
  return gql<{ stixBundle: { fileName: string; contentType: string; content: string; marking: string; objectCount: number } }>(
    platform.url,
    `query($input: StixBundleInput!) { stixBundle(input: $input) { fileName contentType content marking objectCount } }`,
    { input },
    { token },
  );
}

export interface StixBundleAnswer {
  fileName: string;
  contentType: string;
  content: string;
  marking: string;
  objectCount: number;
  bundle: { type: string; id: string; objects: Array<Record<string, any>> };
}

export const bundleOf = (res: Awaited<ReturnType<typeof exportStix>>): StixBundleAnswer => {
  const data = ok(res).stixBundle as Omit<StixBundleAnswer, "bundle">;
  return { ...data, bundle: JSON.parse(data.content) as { type: string; id: string; objects: Array<Record<string, any>> } };
};

/**
 * A tenant's graph in tenant-independent terms: each node by label and key
 * properties (with its marking), each relationship by its ends' keys (with
 * its marking), sorted; ids and timestamps left out.
 */
export function graphSignature(platform: TestPlatform) {
  const { cypher } = graphReader(platform);
  const keyOf = (alias: string) =>
    `labels(${alias})[0] + ':' + coalesce(${alias}.attackId, ${alias}.cveId, ${alias}.pattern, ${alias}.address, ${alias}.title, ${alias}.name)`;
  return async (tenantId: string) => {
    const nodes = await cypher<{ node: string }>(
      `MATCH (n) WHERE n.tenantId = $tenantId
       RETURN ${keyOf("n")} + ' ' + coalesce(n.marking, '-') + ' stix=' + coalesce(n.stixId, '-') + ' aliases=' + coalesce(apoc.text.join(n.aliases, ','), '-')
         + ' refs=' + coalesce(apoc.text.join(n.externalReferences, ','), '-') + ' sightings=' + coalesce(toString(n.sightings), '-') AS node`,
      { tenantId },
    );
    const rels = await cypher<{ rel: string }>(
      `MATCH (a)-[r]->(b) WHERE a.tenantId = $tenantId RETURN ${keyOf("a")} + ' -' + type(r) + '-> ' + ${keyOf("b")} + ' ' + coalesce(r.marking, '-') AS rel`,
      { tenantId },
    );
    return { nodes: nodes.map((n) => n.node).sort(), relationships: rels.map((r) => r.rel).sort() };
  };
}
