import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { composeSupergraph } from "./composeSupergraph.ts";

describe("schema/supergraph.graphql", () => {
  it("is what the subgraphs compose to today (run `pnpm compose` if this fails)", async () => {
    const { supergraphSdl, apiSdl, subgraphs } = await composeSupergraph();
    const dir = new URL("../../schema/", import.meta.url);
    expect(await readFile(new URL("supergraph.graphql", dir), "utf8")).toBe(`${supergraphSdl}\n`);
    expect(await readFile(new URL("api.graphql", dir), "utf8"), "schema/api.graphql").toBe(`${apiSdl}\n`);
    for (const { name, sdl } of subgraphs) {
      expect(await readFile(new URL(`${name}.graphql`, dir), "utf8"), `schema/${name}.graphql`).toBe(`${sdl}\n`);
    }
  }, 60_000);
});
