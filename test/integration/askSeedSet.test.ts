/**
 * The ask seed set on the real stores: the four sample packs ingested once
 * each into a fresh tenant through the API, every seed question asked through
 * the gateway (RUN, confirmed), and at least 90 % answered exactly as
 * expected (DESIGN.md's accuracy target; `pnpm bench:ask` reports the figure).
 */
import { describe, expect, it } from "vitest";
import { answerMismatch, seedQuestions } from "../../bench/ask/seedAnswers.ts";
import { gql } from "../support/graphqlClient.ts";
import { EXPECTED, ingestFile, sample, sampleMapping } from "../support/ingest.ts";
import { useTestPlatform } from "../support/platform.ts";

const platform = useTestPlatform("askseed");
const ASK = `query($q: String!) { askGraph(question: $q, mode: RUN, confirm: true) { ran columns rows } }`;

describe("the ask seed set", () => {
  it("answers at least 90 % of the seed questions exactly as expected on the ingested sample packs", { timeout: 240_000 }, async () => {
    const tenant = await platform.newTenant("ask-seed");
    for (const pack of ["people.csv", "threat-feed.ndjson", "incidents.json", "stix-bundle.json"]) {
      const mapping = await sampleMapping(platform.url, tenant.token, pack);
      const job = await ingestFile(platform.url, tenant.token, mapping, sample(pack), pack);
      expect(job.totals["recordsWritten"], pack).toBe(EXPECTED[pack]!.recordsWritten);
    }
    const wrong: string[] = [];
    for (const s of seedQuestions) {
      const res = await gql<{ askGraph: { ran: boolean; columns: string[]; rows: Array<Record<string, unknown>> } }>(
        platform.url,
        ASK,
        { q: s.question },
        { token: tenant.token },
      );
      const answer = res.data?.askGraph;
      const mismatch = res.errors?.length
        ? JSON.stringify(res.errors)
        : !answer?.ran
          ? "did not run"
          : answerMismatch(s.expect, answer.columns, answer.rows);
      if (mismatch) wrong.push(`${s.id} ${s.question}: ${mismatch}`);
    }
    const accuracy = 1 - wrong.length / seedQuestions.length;
    expect(accuracy, wrong.join("\n")).toBeGreaterThanOrEqual(0.9);
  });
});
