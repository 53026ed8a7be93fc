import { composeServices } from "@apollo/composition";
import { parse } from "graphql";
import { SUBGRAPHS, defaultSubgraphUrl } from "./subgraphCatalog.ts";

export interface ComposedSupergraph {
  supergraphSdl: string;
  subgraphs: Array<{ name: string; sdl: string }>;
}

/** Composes the six subgraphs' SDL with @apollo/composition; throws listing every composition error. */
export async function composeSupergraph(): Promise<ComposedSupergraph> {
  const subgraphs = await Promise.all(SUBGRAPHS.map(async (s) => ({ name: s.name, sdl: await s.sdl(), url: defaultSubgraphUrl(s.port) })));
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join("\n")}`);
  }
  return { supergraphSdl: result.supergraphSdl, subgraphs: subgraphs.map(({ name, sdl }) => ({ name, sdl })) };
}
