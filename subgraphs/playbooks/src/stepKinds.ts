import { appError, ErrorCode, type PeerCaller, type Principal } from "@intelgraph/kit";
import type { StepKind } from "./model.ts";
import { refuseQueryDocument } from "./queryDocument.ts";
import { parseWebhookTarget, postSigned } from "./webhooks.ts";

/** What a step's code gets: its rendered config, the run's principal and a way to log. */
export interface StepContext {
  config: Record<string, unknown>;
  peers: PeerCaller;
  principal: Principal;
  requestId: string;
  signal: AbortSignal;
  log(line: string): void;
  /** The run's report so far (a CREATE_REPORT step sets it). */
  reportId: string | null;
  runId: string;
  playbookId: string;
  stepId: string;
  signingSecret(): string;
  nowSeconds(): number;
}

/** A step's result: its output, and the report it made, if any. */
export interface StepResult {
  output: unknown;
  reportId?: string;
}

const bad = (message: string) => appError(ErrorCode.BAD_USER_INPUT, message, { problems: [{ path: "config", message }] });

function text(config: Record<string, unknown>, key: string, required = true): string | undefined {
  const value = config[key];
  if (value === undefined || value === null) {
    if (required) throw bad(`config.${key} is required`);
    return undefined;
  }
  if (typeof value !== "string" || !value) throw bad(`config.${key} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

async function graph<T>(ctx: StepContext, query: string, variables: Record<string, unknown>): Promise<T> {
  return ctx.peers.call<T>("graph", ctx.principal, { query, variables, requestId: ctx.requestId });
}

const ASK = `query($q: String!, $confirm: Boolean) { askGraph(question: $q, mode: RUN, confirm: $confirm) {
  question interpretation confidence ran needsConfirmation columns rows truncated hints } }`;

async function ask(ctx: StepContext): Promise<StepResult> {
  const question = text(ctx.config, "question")!;
  ctx.log(`asking: ${question}`);
  const { askGraph: result } = await graph<{ askGraph: Record<string, unknown> & { ran: boolean; rows: unknown[] } }>(ctx, ASK, {
    q: question,
    confirm: ctx.config["confirm"] === true,
  });
  if (!result.ran) {
    const why = result["needsConfirmation"]
      ? "its confidence is low: set config.confirm to true to run it anyway"
      : "it could not be interpreted";
    throw appError(ErrorCode.BAD_USER_INPUT, `The question did not run: ${why}. Hints: ${JSON.stringify(result["hints"])}.`);
  }
  ctx.log(`${result.rows.length} row(s)`);
  return { output: result };
}

async function graphQuery(ctx: StepContext): Promise<StepResult> {
  const refusal = refuseQueryDocument(ctx.config["query"]);
  if (refusal) throw bad(refusal);
  const variables = ctx.config["variables"] ?? {};
  if (typeof variables !== "object" || Array.isArray(variables)) throw bad("config.variables must be an object");
  return { output: await graph(ctx, ctx.config["query"] as string, variables as Record<string, unknown>) };
}

function reportInput(config: Record<string, unknown>) {
  return { title: text(config, "title")!, sections: config["sections"] ?? [], findings: config["findings"] ?? [] };
}

async function publishIfAsked(ctx: StepContext, reportId: string, revision: number): Promise<number | null> {
  if (ctx.config["publish"] !== true) return null;
  const { publishReport } = await graph<{ publishReport: { version: number } }>(
    ctx,
    `mutation($input: PublishReportInput!) { publishReport(input: $input) { version } }`,
    { input: { reportId, expectedRevision: revision } },
  );
  ctx.log(`published version ${publishReport.version}`);
  return publishReport.version;
}

async function createReport(ctx: StepContext): Promise<StepResult> {
  const { createReport: report } = await graph<{ createReport: { id: string; revision: number; title: string } }>(
    ctx,
    `mutation($input: CreateReportInput!) { createReport(input: $input) { id revision title } }`,
    { input: reportInput(ctx.config) },
  );
  ctx.log(`created report ${report.id}`);
  const version = await publishIfAsked(ctx, report.id, report.revision);
  return { output: { reportId: report.id, title: report.title, revision: report.revision, version }, reportId: report.id };
}

async function updateReport(ctx: StepContext): Promise<StepResult> {
  const reportId = text(ctx.config, "reportId", false) ?? ctx.reportId;
  if (!reportId) throw bad("config.reportId is required (no earlier step made a report)");
  const { report } = await graph<{ report: { revision: number } | null }>(ctx, `query($id: ID!) { report(id: $id) { revision } }`, {
    id: reportId,
  });
  if (!report) throw appError(ErrorCode.NOT_FOUND, `No report ${reportId} in your tenant.`);
  const { updateReportDraft: updated } = await graph<{ updateReportDraft: { id: string; revision: number } }>(
    ctx,
    `mutation($id: ID!, $rev: Int!, $input: UpdateReportDraftInput!) { updateReportDraft(id: $id, expectedRevision: $rev, input: $input) { id revision } }`,
    { id: reportId, rev: report.revision, input: reportInput(ctx.config) },
  );
  const version = await publishIfAsked(ctx, reportId, updated.revision);
  return { output: { reportId, revision: updated.revision, version }, reportId };
}

export const EXPORT_REPORT = `mutation($input: ExportReportInput!) { exportReport(input: $input) {
  id reportId version format files { name contentType bytes sha256 } manifestSha256 download { url expiresAt } } }`;

async function exportReport(ctx: StepContext): Promise<StepResult> {
  const reportId = text(ctx.config, "reportId", false) ?? ctx.reportId;
  if (!reportId) throw bad("config.reportId is required (no earlier step made a report)");
  const input = {
    reportId,
    format: text(ctx.config, "format", false) ?? "JSON",
    destinationRegion: text(ctx.config, "destinationRegion")!,
    ...(ctx.config["locale"] ? { locale: ctx.config["locale"] } : {}),
    ...(typeof ctx.config["version"] === "number" ? { version: ctx.config["version"] } : {}),
  };
  const { exportReport: exported } = await graph<{ exportReport: { id: string; version: number } }>(ctx, EXPORT_REPORT, { input });
  ctx.log(`exported version ${exported.version} as ${input.format}`);
  return { output: exported };
}

async function connectorIngest(ctx: StepContext): Promise<StepResult> {
  const { syncServiceNowIncidents: sync } = await ctx.peers.call<{ syncServiceNowIncidents: Record<string, unknown> }>(
    "connectors",
    ctx.principal,
    {
      query: `mutation($id: ID!) { syncServiceNowIncidents(connectorId: $id) { connectorId fetched upserted pages } }`,
      variables: { id: text(ctx.config, "connectorId") },
      requestId: ctx.requestId,
    },
  );
  ctx.log(`fetched ${String(sync["fetched"])}, upserted ${String(sync["upserted"])}`);
  return { output: sync };
}

async function serviceNowIncident(ctx: StepContext): Promise<StepResult> {
  const input = {
    connectorId: text(ctx.config, "connectorId"),
    incidentId: text(ctx.config, "incidentId"),
    action: text(ctx.config, "action", false) ?? "UPSERT",
    ...(ctx.config["workNotes"] ? { workNotes: String(ctx.config["workNotes"]) } : {}),
  };
  const { pushIncidentToServiceNow: delivery } = await ctx.peers.call<{
    pushIncidentToServiceNow: { status: string; lastError: string | null };
  }>("connectors", ctx.principal, {
    query: `mutation($input: PushIncidentInput!) { pushIncidentToServiceNow(input: $input) { id connectorId status sysId number attempts lastError } }`,
    variables: { input },
    requestId: ctx.requestId,
  });
  if (delivery.status !== "DELIVERED") {
    throw appError(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      `ServiceNow did not take the incident (${delivery.status}): ${delivery.lastError ?? "no error given"}.`,
      {
        delivery,
      },
    );
  }
  return { output: delivery };
}

async function webhook(ctx: StepContext): Promise<StepResult> {
  const url = parseWebhookTarget(ctx.config["url"], "config.url");
  const body = JSON.stringify(ctx.config["body"] ?? { playbookId: ctx.playbookId, runId: ctx.runId, stepId: ctx.stepId });
  ctx.log(`POST ${url.origin}${url.pathname}`);
  const { status } = await postSigned({
    url,
    secret: ctx.signingSecret(),
    body,
    deliveryId: `${ctx.runId}:${ctx.stepId}`,
    timestampSeconds: ctx.nowSeconds(),
    signal: ctx.signal,
  });
  return { output: { status } };
}

export const STEP_HANDLERS: Record<StepKind, (ctx: StepContext) => Promise<StepResult>> = {
  ASK: ask,
  GRAPH_QUERY: graphQuery,
  CREATE_REPORT: createReport,
  UPDATE_REPORT: updateReport,
  EXPORT_REPORT: exportReport,
  CONNECTOR_INGEST: connectorIngest,
  SERVICENOW_INCIDENT: serviceNowIncident,
  WEBHOOK: webhook,
};
