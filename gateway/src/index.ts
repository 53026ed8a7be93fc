export * from "./createGateway.ts";
export * from "./platform.ts";
export * from "./platformConfig.ts";
export * from "./composeSupergraph.ts";
export * from "./subgraphCatalog.ts";
export * from "./seedDemo.ts";
