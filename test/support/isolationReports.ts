/**
 * A's report for the isolation suite (test/integration/isolationSuite.test.ts):
 * a query snapshot, a report citing A's person and the snapshot, an annotation
 * on the person's evidence, the published version 1, and a JSON export of it.
 */
const MARKER = "MARKER-A";

type Seed = (query: string, variables?: Record<string, unknown>) => Promise<any>;

export async function seedReportOfA(seed: Seed, person: string) {
  const snapshot = (await seed(`mutation { captureQuerySnapshot(question: "list people", confirm: true) { id } }`)).captureQuerySnapshot.id;
  const report = (
    await seed(`mutation($input: CreateReportInput!) { createReport(input: $input) { id findings { id evidence { id } } } }`, {
      input: {
        title: `${MARKER}-report`,
        findings: [
          {
            title: `${MARKER}-finding`,
            body: "",
            evidence: [
              { kind: "ENTITY", ref: person },
              { kind: "QUERY_SNAPSHOT", ref: snapshot },
            ],
          },
        ],
      },
    })
  ).createReport;
  await seed(`mutation($i: AnnotateEvidenceInput!) { annotateEvidence(input: $i) { id } }`, {
    i: {
      reportId: report.id,
      findingId: report.findings[0].id,
      evidenceId: report.findings[0].evidence[0].id,
      text: `${MARKER}-annotation`,
    },
  });
  await seed(`mutation { publishReport(input: { reportId: "${report.id}" }) { id } }`);
  const reportExport = (
    await seed(`mutation { exportReport(input: { reportId: "${report.id}", format: JSON, destinationRegion: "eu-west-1" }) { id } }`)
  ).exportReport.id;
  return {
    snapshot,
    report: report.id as string,
    reportFinding: report.findings[0].id as string,
    reportEvidence: report.findings[0].evidence[0].id as string,
    reportExport,
  };
}
