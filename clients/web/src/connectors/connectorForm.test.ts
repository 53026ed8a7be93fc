import { describe, expect, it } from "vitest";
import { configInput, emptyRegisterForm, parseSeverityTable, registerInput, registerProblems, type ConfigForm } from "./connectorForm.ts";

const config = (change: Partial<ConfigForm> = {}): ConfigForm => ({
  assignmentGroup: "Security",
  category: "",
  callerId: "",
  severity: "high: 1/1\nlow: 3/3",
  defaultUrgency: "2",
  defaultImpact: "2",
  closeCode: "Solution provided",
  ratePerSecond: "5",
  burst: "10",
  maxAttempts: "5",
  windowHours: "24",
  alertThreshold: "10",
  syncEnabled: false,
  syncIntervalMinutes: "15",
  syncQuery: "",
  newSecret: "",
  ...change,
});

describe("register form", () => {
  it("asks for https, a username for basic auth and a secret", () => {
    expect(registerProblems({ ...emptyRegisterForm(), name: "SN", baseUrl: "http://127.0.0.1:8080", username: "u", secret: "s" })).toEqual(
      [],
    );
    expect(registerProblems({ ...emptyRegisterForm(), name: "SN", baseUrl: "http://x" }).map((p) => p.path)).toEqual([
      "baseUrl",
      "username",
      "secret",
    ]);
    expect(
      registerProblems({ ...emptyRegisterForm(), name: "SN", baseUrl: "https://x", authKind: "OAUTH_CLIENT_CREDENTIALS", secret: "s" }),
    ).toEqual([{ path: "clientId", message: "OAuth needs a client id." }]);
  });

  it("sends the username or client id for the auth kind, and a secret or a reference", () => {
    const form = {
      ...emptyRegisterForm(),
      name: " SN ",
      baseUrl: "https://acme.service-now.com/",
      username: "u",
      clientId: "c",
      secret: "pw",
    };
    expect(registerInput(form)).toEqual({
      kind: "SERVICENOW",
      name: "SN",
      baseUrl: "https://acme.service-now.com",
      authKind: "BASIC",
      username: "u",
      secret: "pw",
    });
    expect(registerInput({ ...form, authKind: "OAUTH_CLIENT_CREDENTIALS", secretSource: "REFERENCE", secret: "vault://sn" })).toEqual({
      kind: "SERVICENOW",
      name: "SN",
      baseUrl: "https://acme.service-now.com",
      authKind: "OAUTH_CLIENT_CREDENTIALS",
      clientId: "c",
      secretRef: "vault://sn",
    });
  });
});

describe("severity table", () => {
  it("reads severity: urgency/impact lines and names the ones that do not read", () => {
    expect(parseSeverityTable("high: 1/1\n\n medium : 2 / 3 \nlow 3/3\ncritical: 0/1")).toEqual({
      rows: [
        { severity: "high", urgency: 1, impact: 1 },
        { severity: "medium", urgency: 2, impact: 3 },
      ],
      problems: [
        'Line 4 should read "severity: urgency/impact" with 1–3, e.g. "high: 1/1".',
        'Line 5 should read "severity: urgency/impact" with 1–3, e.g. "high: 1/1".',
      ],
    });
  });
});

describe("config form", () => {
  it("builds the update with numbers and nulls for empty text", () => {
    expect(configInput(config())).toEqual({
      problems: [],
      input: {
        mapping: {
          assignmentGroup: "Security",
          category: null,
          callerId: null,
          severity: [
            { severity: "high", urgency: 1, impact: 1 },
            { severity: "low", urgency: 3, impact: 3 },
          ],
          defaultUrgency: 2,
          defaultImpact: 2,
          closeCode: "Solution provided",
        },
        rateLimit: { ratePerSecond: 5, burst: 10 },
        replay: { maxAttempts: 5, windowHours: 24, alertThreshold: 10 },
        sync: { enabled: false },
      },
    });
  });

  it("refuses a zero rate, a fractional burst and a bad severity line", () => {
    expect(configInput(config({ ratePerSecond: "0", burst: "2.5", severity: "x" })).problems.map((p) => p.path)).toEqual([
      "mapping.severity",
      "rateLimit.ratePerSecond",
      "rateLimit.burst",
    ]);
    expect(configInput(config({ ratePerSecond: "0.5" })).input?.rateLimit).toEqual({ ratePerSecond: 0.5, burst: 10 });
  });

  it("replaces the secret (or its reference) only when a new one is typed", () => {
    expect(configInput(config()).input).not.toHaveProperty("secret");
    expect(configInput(config({ newSecret: " pw2 " })).input?.secret).toBe("pw2");
    expect(configInput(config({ newSecret: "vault://x" }), "REFERENCE").input?.secretRef).toBe("vault://x");
  });

  it("sends the interval and query only when pull sync is on", () => {
    expect(configInput(config({ syncEnabled: true, syncIntervalMinutes: "30", syncQuery: "active=true" })).input?.sync).toEqual({
      enabled: true,
      intervalMinutes: 30,
      query: "active=true",
    });
  });
});
