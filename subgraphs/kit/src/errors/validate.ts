import type { z } from "zod";
import { appError, ErrorCode } from "./errors.ts";

/**
 * Parses input with a zod schema; on failure throws `BAD_USER_INPUT` listing
 * every problem as `{ path, message }` so a client can mark the fields.
 */
export function validateInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  const summary = problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ");
  throw appError(ErrorCode.BAD_USER_INPUT, `Invalid input — ${summary}.`, { problems });
}
