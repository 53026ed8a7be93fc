import { randomUUID } from "node:crypto";
import { appError, ErrorCode } from "../errors/errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const newId = (): string => randomUUID();

/** Throws `BAD_USER_INPUT` naming the argument when `value` is not an id we issue. */
export function parseId(value: unknown, argument = "id"): string {
  if (typeof value !== "string" || !UUID.test(value)) {
    throw appError(ErrorCode.BAD_USER_INPUT, `"${argument}" must be an id such as 3f2b8c1e-…; got ${JSON.stringify(value)}.`, {
      argument,
    });
  }
  return value.toLowerCase();
}
