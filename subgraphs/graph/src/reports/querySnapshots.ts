/**
 * Query snapshots: a question run as askGraph RUN, its result frozen with a
 * sha256 of the canonical result and the ids of the entities it showed, so a
 * finding cites what the analyst saw rather than a live query. It was run
 * with the capturer's clearance; a reader whose clearance does not cover an
 * entity it showed does not get it.
 */
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { appError, ErrorCode, requireUser, validateInput, type Clock, type Principal, type RequestContext } from "@intelgraph/kit";
import type { AskService } from "../ask/askService.ts";
import { markingsParam } from "../visibility.ts";
import type { EvidenceLookup } from "./evidenceLookup.ts";
import type { QuerySnapshotDoc } from "./reportModel.ts";

/** sha256 of the canonical JSON of a result: columns, then rows with keys in column order. */
export function resultHash(columns: string[], rows: Array<Record<string, unknown>>): string {
  const canonical = JSON.stringify({ columns, rows: rows.map((r) => columns.map((c) => r[c] ?? null)) });
  return createHash("sha256").update(canonical).digest("hex");
}

const questionInput = z.object({ question: z.string().trim().min(3).max(500), confirm: z.boolean().nullish() });

export function createQuerySnapshots(options: { lookup: EvidenceLookup; ask: AskService; now: Clock }) {
  const { lookup, now } = options;
  return {
    /** Runs the question (askGraph RUN) and freezes its result. */
    async captureSnapshot(ctx: RequestContext, raw: unknown): Promise<QuerySnapshotDoc> {
      const caller = requireUser(ctx.principal);
      const { question, confirm } = validateInput(questionInput, raw);
      const answer = await options.ask.ask(ctx.principal, { question, mode: "RUN", confirm: confirm ?? false }, ctx.requestId);
      if (!answer.ran || !answer.cypher)
        throw appError(
          ErrorCode.BAD_USER_INPUT,
          answer.needsConfirmation
            ? `The question was understood with confidence ${answer.confidence.toFixed(2)}, under the threshold: check its interpretation (“${answer.interpretation}”) and capture it again with confirm: true.`
            : `The question could not be interpreted, so there is nothing to capture. ${answer.hints.join(" ")}`,
          { field: "question", needsConfirmation: answer.needsConfirmation, hints: answer.hints },
        );
      const touched = (answer as { nodes?: Array<{ id: string }> }).nodes ?? [];
      const { tenantId: _tenant, ...parameters } = answer.parameters ?? {};
      return lookup.snapshots.forTenant(caller.tenantId).insertOne({
        _id: randomUUID(),
        question,
        interpretation: answer.interpretation,
        cypher: answer.cypher,
        parameters,
        columns: answer.columns,
        rows: answer.rows,
        truncated: answer.truncated,
        resultHash: resultHash(answer.columns, answer.rows),
        entityIds: [...new Set(touched.map((n) => n.id))].slice(0, 500),
        capturedBy: caller.userId,
        capturedAt: new Date(now()),
      });
    },

    /** A snapshot, unless it showed an entity above the caller's clearance (its rows hold that entity's values): then none. */
    async snapshot(principal: Principal, id: string): Promise<QuerySnapshotDoc | null> {
      const tenantId = requireUser(principal).tenantId;
      const doc = await lookup.snapshots.forTenant(tenantId).findOne({ _id: id });
      if (!doc?.entityIds.length) return doc;
      const shown = await lookup.entities({ tenantId, markings: markingsParam(principal) }, doc.entityIds);
      return [...shown.values()].some((f) => f.status === "restricted") ? null : doc;
    },
  };
}
