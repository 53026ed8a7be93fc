import { stringify } from "csv-stringify/sync";
import { appError, ErrorCode, type PeerCaller, type Principal } from "@intelgraph/kit";
import type { RunRecord } from "./runRecords.ts";
import { EXPORT_REPORT } from "./stepKinds.ts";
import { runView } from "./views.ts";

const CSV_COLUMNS = ["stepId", "name", "kind", "status", "attempts", "startedAt", "finishedAt", "durationMs", "error", "output"];

async function tenantRegion(peers: PeerCaller, principal: Principal): Promise<string> {
  const data = await peers.call<{ myTenant: { region: string } | null }>("governance", principal, { query: `{ myTenant { region } }` });
  if (!data.myTenant) throw appError(ErrorCode.NOT_FOUND, "Your tenant could not be read.");
  return data.myTenant.region;
}

/**
 * A run's results: JSON (the whole run as the API shows it), CSV (one row per
 * step), or PDF, which is the report the run made exported through graph's
 * exportReport as the caller (their rights, their tenant's region).
 */
export async function exportRun(peers: PeerCaller, principal: Principal, run: RunRecord, format: unknown) {
  const view = runView(run);
  const base = `playbook-run-${run._id}`;
  if (format === "JSON") {
    return {
      runId: run._id,
      format,
      fileName: `${base}.json`,
      contentType: "application/json",
      content: JSON.stringify(view, null, 2),
      downloadUrl: null,
    };
  }
  if (format === "CSV") {
    const rows = view.steps.map((s) => [
      s.id,
      s.name,
      s.kind,
      s.status,
      s.attempts,
      s.startedAt ?? "",
      s.finishedAt ?? "",
      s.durationMs ?? "",
      s.error ?? "",
      JSON.stringify(s.output),
    ]);
    return {
      runId: run._id,
      format,
      fileName: `${base}.csv`,
      contentType: "text/csv",
      content: stringify([CSV_COLUMNS, ...rows]),
      downloadUrl: null,
    };
  }
  if (!run.reportId) {
    throw appError(ErrorCode.BAD_USER_INPUT, "This run made no report, so there is no PDF to export; export it as JSON or CSV.", {
      argument: "format",
    });
  }
  const { exportReport } = await peers.call<{ exportReport: { download: { url: string } } }>("graph", principal, {
    query: EXPORT_REPORT,
    variables: { input: { reportId: run.reportId, format: "PDF", destinationRegion: await tenantRegion(peers, principal) } },
  });
  return {
    runId: run._id,
    format: "PDF",
    fileName: `${base}.pdf`,
    contentType: "application/pdf",
    content: null,
    downloadUrl: exportReport.download.url,
  };
}
