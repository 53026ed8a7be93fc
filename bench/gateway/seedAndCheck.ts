import { ARMOR_LIMITS, type AllInOnePlatform } from "@intelgraph/gateway";
import { gql, gqlResponse } from "../lib.ts";
import type { Layers } from "./roundStats.ts";

/** One more alias than armor allows: refused only when the layers are on. */
const ARMOR_PROBE_ALIASES = ARMOR_LIMITS.maxAliases.n + 1;

/** Creates `count` people named "Bench Person 0000"… (what the k6 mix asks for), 50 at a time. */
export async function seedPeople(url: string, token: string, count: number): Promise<void> {
  const names = Array.from({ length: count }, (_, i) => `Bench Person ${String(i).padStart(4, "0")}`);
  for (let i = 0; i < names.length; i += 50) {
    const input = names.slice(i, i + 50).map((name, j) => ({ name, email: `p${i + j}@bench.test`, source: "bench" }));
    await gql(url, `mutation($input: [PersonCreateInput!]!) { createPeople(input: $input) { people { id } } }`, { input }, token);
  }
}

/** The switch must really differ: the same session works on both; armor refuses too many aliases only when on. */
export async function checkSecuritySwitch(platforms: Record<Layers, AllInOnePlatform>, token: string, email: string): Promise<void> {
  const aliases = `{ ${Array.from({ length: ARMOR_PROBE_ALIASES }, (_, i) => `a${i}: me { email }`).join(" ")} }`;
  for (const layers of ["on", "off"] as const) {
    const url = platforms[layers].url;
    const me = await gqlResponse<{ me: { email: string } | null }>(url, `{ me { email } }`, {}, token);
    if (me.data?.me?.email !== email) throw new Error(`${layers}: the session does not work: ${JSON.stringify(me)}`);
    const probe = await gqlResponse(url, aliases, {}, token);
    const refused = Boolean(probe.errors?.length);
    if (refused !== (layers === "on")) {
      throw new Error(
        `securityLayers "${layers}" did not take effect: ${ARMOR_PROBE_ALIASES} aliases were ${refused ? "refused" : "accepted"}`,
      );
    }
  }
}
