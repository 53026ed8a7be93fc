import { describe, expect, it } from "vitest";
import { hrefFor, parseRoute, type Route } from "./route.ts";

describe("routes", () => {
  it("round-trips every screen", () => {
    const routes: Route[] = [
      { name: "overview" },
      { name: "sign-in", next: "/audit?action=login" },
      { name: "ingest" },
      { name: "ingest-job", jobId: "job 1/2" },
      { name: "entities", query: "acme corp" },
      { name: "entity", id: "p:abc" },
      { name: "audit", search: "action=login&outcome=FAILURE" },
      { name: "ask", question: "Which people work for “Acme Corp”?" },
      { name: "ask", question: "" },
      { name: "reports" },
      { name: "report", id: "rep/1" },
      { name: "report-version", id: "rep 1", version: 3 },
      { name: "billing" },
      { name: "billing-limits" },
      { name: "billing-plan" },
      { name: "billing-invoices" },
      { name: "playbooks" },
      { name: "playbook-new" },
      { name: "playbook-shared" },
      { name: "playbook", id: "pb 1" },
      { name: "playbook-run", id: "run/1" },
      { name: "connectors" },
      { name: "connector", id: "c 1" },
      { name: "indicators", query: "", order: "" },
      { name: "indicators", query: "evil.example & co", order: "score-asc" },
      { name: "suppression-rules" },
    ];
    for (const route of routes) {
      const url = new URL(hrefFor(route), "http://console.test");
      expect(parseRoute(url.pathname, url.search)).toEqual(route);
    }
  });

  it("ignores a sign-in redirect that leaves the console", () => {
    expect(parseRoute("/sign-in", "?next=//evil.example")).toEqual({ name: "sign-in" });
    expect(parseRoute("/sign-in", "?next=https://evil.example")).toEqual({ name: "sign-in" });
  });

  it("names unknown paths instead of guessing", () => {
    expect(parseRoute("/ingest/jobs")).toEqual({ name: "not-found", path: "/ingest/jobs" });
    expect(parseRoute("/nope/")).toEqual({ name: "not-found", path: "/nope/" });
    expect(parseRoute("/reports/r1/versions/0")).toEqual({ name: "not-found", path: "/reports/r1/versions/0" });
    expect(parseRoute("/reports/r1/versions/two")).toEqual({ name: "not-found", path: "/reports/r1/versions/two" });
    expect(parseRoute("/billing/other")).toEqual({ name: "not-found", path: "/billing/other" });
  });
});
