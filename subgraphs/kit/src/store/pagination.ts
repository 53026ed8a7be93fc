import { appError, ErrorCode } from "../errors/errors.ts";

/** Opaque cursor over a `(time, id)` sort key, newest first. */
export interface TimeCursor {
  at: Date;
  id: string;
}

export function encodeCursor({ at, id }: TimeCursor): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}

export function decodeCursor(cursor: string): TimeCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    const date = new Date(at);
    if (typeof id !== "string" || Number.isNaN(date.getTime())) throw new Error("bad cursor");
    return { at: date, id };
  } catch {
    throw appError(ErrorCode.BAD_USER_INPUT, "The cursor is not one we issued; pass `pageInfo.endCursor` from a previous page.", {
      argument: "after",
    });
  }
}

/** Clamps a page size: default 20, at most 100. */
export function pageSize(first: number | null | undefined, max = 100): number {
  if (first === null || first === undefined) return 20;
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw appError(ErrorCode.BAD_USER_INPUT, `"first" must be between 1 and ${max}; got ${first}.`, { argument: "first" });
  }
  return first;
}
