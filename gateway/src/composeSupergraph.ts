import { composeServices } from "@apollo/composition";
import { Supergraph } from "@apollo/federation-internals";
import { parse, printSchema } from "graphql";
import { SUBGRAPHS, defaultSubgraphUrl } from "./subgraphCatalog.ts";

export interface ComposedSupergraph {
  supergraphSdl: string;
  /** The schema clients see (no federation directives): input to graphql-codegen. */
  apiSdl: string;
  subgraphs: Array<{ name: string; sdl: string }>;
}

/** Composes the six subgraphs' SDL with @apollo/composition; throws listing every composition error. */
export async function composeSupergraph(): Promise<ComposedSupergraph> {
  const subgraphs = await Promise.all(SUBGRAPHS.map(async (s) => ({ name: s.name, sdl: await s.sdl(), url: defaultSubgraphUrl(s.port) })));
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join("\n")}`);
  }
  const apiSdl = printSchema(Supergraph.build(result.supergraphSdl).apiSchema().toGraphQLJSSchema());
  return { supergraphSdl: result.supergraphSdl, apiSdl, subgraphs: subgraphs.map(({ name, sdl }) => ({ name, sdl })) };
}
