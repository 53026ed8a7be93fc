import * as audit from "@intelgraph/subgraph-audit";
import * as billing from "@intelgraph/subgraph-billing";
import * as connectors from "@intelgraph/subgraph-connectors";
import * as governance from "@intelgraph/subgraph-governance";
import * as graph from "@intelgraph/subgraph-graph";
import * as playbooks from "@intelgraph/subgraph-playbooks";

/** The six subgraphs, with the loopback port each listens on in split mode. */
export const SUBGRAPHS = [
  { name: graph.name, port: 4001, sdl: graph.sdl },
  { name: audit.name, port: 4002, sdl: audit.sdl },
  { name: governance.name, port: 4003, sdl: governance.sdl },
  { name: billing.name, port: 4004, sdl: billing.sdl },
  { name: playbooks.name, port: 4005, sdl: playbooks.sdl },
  { name: connectors.name, port: 4006, sdl: connectors.sdl },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]["name"];

export const defaultSubgraphUrl = (port: number) => `http://127.0.0.1:${port}/graphql`;
