/** What the ingest API accepts, validated before anything is read or written. */
import { z } from "zod";
import { SOURCE_FORMATS } from "./mappingSpec.ts";

export const createMappingInput = z.strictObject({
  name: z.string().trim().min(1).max(120),
  format: z.enum(SOURCE_FORMATS),
  spec: z.unknown().optional(),
});

const approvalOverride = z.string().trim().min(10, "an override needs a reason of at least 10 characters").max(1000).optional();

export const createJobInput = z.strictObject({
  mappingId: z.string().min(1),
  fileName: z.string().trim().min(1).max(255),
  approvalOverride,
});

export const ingestRecordsInput = z.strictObject({
  mappingId: z.string().min(1),
  source: z.string().trim().min(1).max(255),
  records: z.array(z.record(z.string(), z.unknown())).min(1).max(5000),
  approvalOverride,
});

/** The reason an admin gives for a decision (approve, reject, undo a merge). */
export const reasonInput = z.string().trim().min(3, "give a reason (at least 3 characters)").max(1000);

/** A dead letter's corrected raw record. */
export const deadLetterText = z.string().min(1).max(1_000_000);
