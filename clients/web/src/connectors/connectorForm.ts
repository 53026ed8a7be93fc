/** Form state ↔ API input for the connector screens: severity table text, rate limits, secrets. */
import type {
  ConnectorAuthKind,
  ConnectorFieldsFragment,
  RegisterConnectorInput,
  SeverityMappingInput,
  UpdateConnectorInput,
} from "../api/generated/graphql.ts";

/** What the register form holds (all strings, as typed). */
export interface RegisterForm {
  name: string;
  baseUrl: string;
  authKind: ConnectorAuthKind;
  username: string;
  clientId: string;
  /** "ENCRYPTED": the secret itself; "REFERENCE": a secret-manager reference. */
  secretSource: "ENCRYPTED" | "REFERENCE";
  secret: string;
}

export const emptyRegisterForm = (): RegisterForm => ({
  name: "",
  baseUrl: "",
  authKind: "BASIC",
  username: "",
  clientId: "",
  secretSource: "ENCRYPTED",
  secret: "",
});

/** https://, or http:// for localhost (as the API allows, for local doubles). */
export function isInstanceUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || (url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost"));
  } catch {
    return false;
  }
}

/** Client-side hints before sending (the API's BAD_USER_INPUT problems remain the authority). */
export function registerProblems(form: RegisterForm): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (!form.name.trim()) problems.push({ path: "name", message: "Give the connector a name." });
  if (!isInstanceUrl(form.baseUrl.trim()))
    problems.push({ path: "baseUrl", message: "Use the instance's https:// URL (http:// only for localhost)." });
  if (form.authKind === "BASIC" && !form.username.trim()) problems.push({ path: "username", message: "Basic auth needs a username." });
  if (form.authKind === "OAUTH_CLIENT_CREDENTIALS" && !form.clientId.trim())
    problems.push({ path: "clientId", message: "OAuth needs a client id." });
  if (!form.secret.trim()) problems.push({ path: "secret", message: "Give the secret or a reference to it." });
  return problems;
}

export function registerInput(form: RegisterForm): RegisterConnectorInput {
  const secret = form.secret.trim();
  return {
    kind: "SERVICENOW",
    name: form.name.trim(),
    baseUrl: form.baseUrl.trim().replace(/\/+$/, ""),
    authKind: form.authKind,
    ...(form.authKind === "BASIC" ? { username: form.username.trim() } : { clientId: form.clientId.trim() }),
    ...(form.secretSource === "ENCRYPTED" ? { secret } : { secretRef: secret }),
  };
}

/** "high: 1/1" lines (severity: urgency/impact) → the mapping table; a line that does not read is a problem. */
export function parseSeverityTable(text: string): { rows: SeverityMappingInput[]; problems: string[] } {
  const rows: SeverityMappingInput[] = [];
  const problems: string[] = [];
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const match = /^([^:]+):\s*([1-3])\s*\/\s*([1-3])$/.exec(line);
    if (!match) problems.push(`Line ${index + 1} should read "severity: urgency/impact" with 1–3, e.g. "high: 1/1".`);
    else rows.push({ severity: match[1]!.trim(), urgency: Number(match[2]), impact: Number(match[3]) });
  }
  return { rows, problems };
}

export const formatSeverityTable = (rows: ReadonlyArray<{ severity: string; urgency: number; impact: number }>) =>
  rows.map((r) => `${r.severity}: ${r.urgency}/${r.impact}`).join("\n");

/** The config form of an existing connector (mapping, rate limit, replay policy, pull sync). */
export interface ConfigForm {
  assignmentGroup: string;
  category: string;
  callerId: string;
  severity: string;
  defaultUrgency: string;
  defaultImpact: string;
  closeCode: string;
  ratePerSecond: string;
  burst: string;
  maxAttempts: string;
  windowHours: string;
  alertThreshold: string;
  syncEnabled: boolean;
  syncIntervalMinutes: string;
  syncQuery: string;
  /** A new secret (or reference) to replace the stored one; empty keeps it. */
  newSecret: string;
}

export function configFormOf(c: ConnectorFieldsFragment): ConfigForm {
  return {
    assignmentGroup: c.mapping.assignmentGroup ?? "",
    category: c.mapping.category ?? "",
    callerId: c.mapping.callerId ?? "",
    severity: formatSeverityTable(c.mapping.severity),
    defaultUrgency: String(c.mapping.defaultUrgency),
    defaultImpact: String(c.mapping.defaultImpact),
    closeCode: c.mapping.closeCode,
    ratePerSecond: String(c.rateLimit.ratePerSecond),
    burst: String(c.rateLimit.burst),
    maxAttempts: String(c.replay.maxAttempts),
    windowHours: String(c.replay.windowHours),
    alertThreshold: String(c.replay.alertThreshold),
    syncEnabled: c.sync.enabled,
    syncIntervalMinutes: String(c.sync.intervalMinutes),
    syncQuery: c.sync.query ?? "",
    newSecret: "",
  };
}

const optional = (value: string) => value.trim() || null;

/** The update input, or the problems that keep it from being sent. */
export function configInput(
  form: ConfigForm,
  secretSource: "ENCRYPTED" | "REFERENCE" = "ENCRYPTED",
): { input?: UpdateConnectorInput; problems: Array<{ path: string; message: string }> } {
  const problems: Array<{ path: string; message: string }> = [];
  const severity = parseSeverityTable(form.severity);
  for (const message of severity.problems) problems.push({ path: "mapping.severity", message });
  const number = (path: string, value: string, integer = true) => {
    const n = Number(value);
    if (!value.trim() || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
      problems.push({ path, message: integer ? "A whole number above 0." : "A number above 0." });
      return 0;
    }
    return n;
  };
  const input: UpdateConnectorInput = {
    mapping: {
      assignmentGroup: optional(form.assignmentGroup),
      category: optional(form.category),
      callerId: optional(form.callerId),
      severity: severity.rows,
      defaultUrgency: number("mapping.defaultUrgency", form.defaultUrgency),
      defaultImpact: number("mapping.defaultImpact", form.defaultImpact),
      closeCode: form.closeCode.trim(),
    },
    rateLimit: {
      ratePerSecond: number("rateLimit.ratePerSecond", form.ratePerSecond, false),
      burst: number("rateLimit.burst", form.burst),
    },
    replay: {
      maxAttempts: number("replay.maxAttempts", form.maxAttempts),
      windowHours: number("replay.windowHours", form.windowHours),
      alertThreshold: number("replay.alertThreshold", form.alertThreshold),
    },
    sync: form.syncEnabled
      ? { enabled: true, intervalMinutes: number("sync.intervalMinutes", form.syncIntervalMinutes), query: optional(form.syncQuery) }
      : { enabled: false },
    ...(form.newSecret.trim()
      ? secretSource === "ENCRYPTED"
        ? { secret: form.newSecret.trim() }
        : { secretRef: form.newSecret.trim() }
      : {}),
  };
  return problems.length ? { problems } : { input, problems };
}
