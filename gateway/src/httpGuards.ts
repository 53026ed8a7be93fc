import type { RequestHandler, Response } from "express";
import { GraphQLError } from "graphql";
import { ErrorCode } from "@intelgraph/kit";
import type { Authentication, Authenticator } from "./authenticate.ts";
import { countTokens } from "./tokenLimit.ts";

/** Answers with one GraphQL error, as Apollo would, without reaching Apollo. */
export function refuse(res: Response, status: number, message: string, extensions: Record<string, unknown>) {
  res.status(status).json({ errors: [{ message, extensions }] });
}

/** The authenticated caller of this request, set by `authenticateRequest`. */
export const authOf = (res: Response) => res.locals["auth"] as Authentication;

/** Refuses documents longer than `max` tokens before anything parses them. */
export function limitTokens(max: number): RequestHandler {
  return (req, res, next) => {
    // Apollo also accepts queries in a GET's query string.
    const query = req.method === "GET" ? req.query["query"] : (req.body as { query?: unknown } | undefined)?.query;
    const tokens = typeof query === "string" ? countTokens(query, max) : 0;
    if (tokens !== null && tokens > max) {
      return refuse(res, 400, `The document has more than ${max} tokens. Split it into smaller operations.`, {
        code: "GRAPHQL_VALIDATION_FAILED",
        limit: "maxTokens",
      });
    }
    next();
  };
}

/** Resolves the session, API token or anonymity once per request; a bad credential is a 401. */
export function authenticateRequest(authenticate: Authenticator): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals["auth"] = await authenticate(req.headers.authorization, req.socket.remoteAddress, String(res.locals["requestId"]));
      next();
    } catch (error) {
      const code = error instanceof GraphQLError ? error.extensions["code"] : ErrorCode.UNAUTHENTICATED;
      refuse(res, 401, (error as Error).message, { code });
    }
  };
}
