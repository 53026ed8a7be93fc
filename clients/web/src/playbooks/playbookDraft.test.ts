import { describe, expect, it } from "vitest";
import type { PlaybookDetailsFieldsFragment } from "../api/generated/graphql.ts";
import { changeKind, draftOf, emptyDraft, moved, newParameter, newStep, playbookInput, type PlaybookDraft } from "./playbookDraft.ts";
import { configOf, configValues } from "./stepKinds.ts";

function draft(): PlaybookDraft {
  const d = emptyDraft();
  d.name = " Staff check ";
  d.parameters = [
    { ...newParameter(), name: "org", required: true },
    { ...newParameter(), name: "limit", type: "NUMBER", default: "5" },
  ];
  const ask = newStep("ASK", []);
  ask.values["question"] = "Which people work for “{{params.org}}”?";
  d.steps = [ask];
  return d;
}

describe("playbook draft → input", () => {
  it("builds the create/update input with typed defaults and the step's config", () => {
    const { input, problems } = playbookInput(draft());
    expect(problems).toEqual([]);
    expect(input).toEqual({
      name: "Staff check",
      description: null,
      requiresApproval: false,
      schedule: null,
      parameters: [
        { name: "org", type: "STRING", required: true, default: null, description: null },
        { name: "limit", type: "NUMBER", required: false, default: 5, description: null },
      ],
      steps: [{ id: "s1", kind: "ASK", config: { question: "Which people work for “{{params.org}}”?" }, timeoutMs: 30_000, retries: 0 }],
    });
  });

  it("names each problem by the API's paths", () => {
    const d = draft();
    d.name = "";
    d.parameters[1]!.default = "five";
    d.parameters.push({ ...newParameter(), name: "org" }, { ...newParameter(), name: "level", type: "ENUM" });
    d.steps[0]!.values["question"] = " ";
    d.steps[0]!.retries = "9";
    d.schedule = { enabled: true, cron: "", timeZone: "UTC", missedRunPolicy: "SKIP" };
    expect(playbookInput(d).problems.map((p) => p.path)).toEqual([
      "name",
      "parameters.1.default",
      "parameters.3.options",
      "parameters.2.name",
      "steps.0.config.question",
      "steps.0.retries",
      "schedule.cron",
    ]);
  });

  it("sends the schedule when it is on, and enum options as a list", () => {
    const d = draft();
    d.parameters = [{ ...newParameter(), name: "level", type: "ENUM", options: "LOW, HIGH,", default: "HIGH" }];
    d.schedule = { enabled: true, cron: "0 8 * * 1-5", timeZone: "Europe/Berlin", missedRunPolicy: "RUN_ONCE" };
    const { input, problems } = playbookInput(d);
    expect(problems).toEqual([]);
    expect(input.parameters?.[0]).toMatchObject({ options: ["LOW", "HIGH"], default: "HIGH" });
    expect(input.schedule).toEqual({ cron: "0 8 * * 1-5", timeZone: "Europe/Berlin", missedRunPolicy: "RUN_ONCE" });
  });
});

describe("saved playbook → draft", () => {
  it("round-trips parameters, steps (keeping config keys the form has no field for) and the schedule", () => {
    const saved = {
      name: "P",
      description: null,
      requiresApproval: true,
      parameters: [{ name: "n", type: "NUMBER", required: false, default: 3, options: null, entityType: null, description: null }],
      steps: [
        {
          id: "q",
          name: "query",
          kind: "GRAPH_QUERY",
          config: { query: "{ a }", variables: { x: 1 }, note: "kept" },
          timeoutMs: 5000,
          retries: 2,
        },
      ],
      schedule: { cron: "*/5 * * * *", timeZone: "UTC", missedRunPolicy: "SKIP", paused: false, active: true, nextRuns: [] },
    } as unknown as PlaybookDetailsFieldsFragment;
    const d = draftOf(saved);
    expect(d.steps[0]).toMatchObject({ id: "q", timeoutSeconds: "5", retries: "2", extra: { note: "kept" } });
    const { input } = playbookInput(d);
    expect(input.steps).toEqual([
      {
        id: "q",
        name: "query",
        kind: "GRAPH_QUERY",
        config: { query: "{ a }", variables: { x: 1 }, note: "kept" },
        timeoutMs: 5000,
        retries: 2,
      },
    ]);
    expect(input.parameters).toEqual([{ name: "n", type: "NUMBER", required: false, default: 3, description: null }]);
    expect(input.schedule).toEqual({ cron: "*/5 * * * *", timeZone: "UTC", missedRunPolicy: "SKIP" });
  });
});

describe("steps", () => {
  it("gives new steps unused ids, carries same-named fields over a kind change, and moves rows", () => {
    const first = newStep("ASK", []);
    const second = newStep("WEBHOOK", [first]);
    expect([first.id, second.id]).toEqual(["s1", "s2"]);
    expect(newStep("ASK", [second]).id).toBe("s3");
    const report = changeKind(
      { ...newStep("CREATE_REPORT", []), values: { title: "T", sections: "", findings: "", publish: true } },
      "UPDATE_REPORT",
    );
    expect(report.values).toEqual({ reportId: "", title: "T", sections: "", findings: "", publish: true });
    expect(moved(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(moved(["a", "b"], 0, -1)).toEqual(["a", "b"]);
  });

  it("refuses JSON that does not parse and leaves unchecked booleans out", () => {
    const { values } = configValues("WEBHOOK", {});
    expect(configOf("WEBHOOK", { ...values, url: "https://x", body: "{ nope" }).problems).toEqual([
      { key: "body", message: "Body (JSON) is not valid JSON." },
    ]);
    expect(configOf("ASK", { question: "q", confirm: false }).config).toEqual({ question: "q" });
  });
});
