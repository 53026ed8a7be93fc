import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { subscriptionOwners } from "./subscriptionRouting.ts";

describe("subscriptionOwners", () => {
  it("routes every Subscription field of the checked-in supergraph to its subgraph", () => {
    const sdl = readFileSync(new URL("../../schema/supergraph.graphql", import.meta.url), "utf8");
    expect(Object.fromEntries(subscriptionOwners(sdl))).toEqual({
      auditEventRecorded: "audit",
      tokenAlertRaised: "governance",
      ingestProgress: "graph",
      budgetAlertRaised: "billing",
      playbookRunUpdated: "playbooks",
      connectorAlertRaised: "connectors",
    });
  });

  it("prefers a field's own @join__field over the type's graph", () => {
    const sdl = `
      enum join__Graph { A @join__graph(name: "a", url: "x") B @join__graph(name: "b", url: "y") }
      type Subscription @join__type(graph: A) @join__type(graph: B) {
        one: Int @join__field(graph: A)
        two: Int @join__field(graph: B)
      }`;
    expect(Object.fromEntries(subscriptionOwners(sdl))).toEqual({ one: "a", two: "b" });
  });
});
