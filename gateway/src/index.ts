export * from "./createGateway.ts";
export { ARMOR_LIMITS } from "./armorLimits.ts";
export * from "./platform.ts";
export * from "./platformSettings.ts";
export * from "./platformConfig.ts";
export * from "./composeSupergraph.ts";
export * from "./subgraphCatalog.ts";
export * from "./seedDemo.ts";
