export interface StoresEnv {
  NEO4J_URI: string;
  NEO4J_USER: string;
  NEO4J_PASSWORD: string;
  MONGODB_URI: string;
}
type Only = "all" | "neo4j" | "ferretdb" | string[];
export class StoreError extends Error {}
export function startStores(opts?: { only?: Only; quiet?: boolean; env?: Record<string, string | undefined> }): Promise<StoresEnv>;
export function stopStores(opts?: { only?: Only; quiet?: boolean }): Promise<Record<string, string>>;
export function storesStatus(opts?: {
  only?: Only;
  env?: Record<string, string | undefined>;
}): Promise<
  Record<"neo4j" | "ferretdb", { state: "running" | "stopped" | "external"; pid: number | null; address: string | null; uri: string }>
>;
export function storesEnv(opts?: { env?: Record<string, string | undefined> }): StoresEnv;
export function resetStores(opts?: { only?: Only; quiet?: boolean }): Promise<string[]>;
