/**
 * The ServiceNow Table API contract we rely on, as zod schemas: every answer
 * is parsed against them, so a renamed or missing field fails loudly instead
 * of writing nonsense (test/integration/servicenowContract.test.ts).
 *
 * - Success: `{ "result": <record> }` or `{ "result": [<record>, …] }`;
 *   lists carry `X-Total-Count` and a `Link` header with `rel="next"`.
 * - Failure: `{ "error": { "message": …, "detail": … }, "status": "failure" }`.
 * - OAuth (`POST /oauth_token.do`): `{ access_token, token_type, expires_in }`.
 *
 * Field values are strings in the default (non display-value) form; dates are
 * UTC `YYYY-MM-DD HH:mm:ss`. `state` 6 is Resolved, 7 Closed.
 */
import { z } from "zod";

/** A reference field: a sys_id string, or `{ link, value }` without sysparm_exclude_reference_link. */
const reference = z.union([z.string(), z.object({ value: z.string(), link: z.string().optional() })]);

export const incidentRecord = z.looseObject({
  sys_id: z.string().regex(/^[0-9a-f]{32}$/, "a 32-hex sys_id"),
  number: z.string().min(1),
  short_description: z.string(),
  description: z.string().optional(),
  state: z.string(),
  urgency: z.string().optional(),
  impact: z.string().optional(),
  correlation_id: z.string().optional(),
  assignment_group: reference.optional(),
  close_code: z.string().optional(),
  close_notes: z.string().optional(),
  sys_updated_on: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, "ServiceNow's UTC 'YYYY-MM-DD HH:mm:ss'"),
  sys_created_on: z.string().optional(),
});

export type IncidentRecord = z.output<typeof incidentRecord>;

export const singleEnvelope = z.object({ result: incidentRecord });
export const listEnvelope = z.object({ result: z.array(incidentRecord) });

export const errorEnvelope = z.object({
  error: z.object({ message: z.string(), detail: z.string().nullish() }),
  status: z.literal("failure"),
});

export const oauthToken = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().int().positive(),
});

/** ServiceNow's `state` values for incidents. */
export const INCIDENT_STATE = { NEW: "1", IN_PROGRESS: "2", ON_HOLD: "3", RESOLVED: "6", CLOSED: "7", CANCELED: "8" } as const;

/** `2026-12-01 14:03:00` (UTC) → ISO 8601. */
export const serviceNowTimeToIso = (value: string) => `${value.replace(" ", "T")}Z`;

/** `<url>;rel="next",<url>;rel="last"` → the next URL, if any. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match && match[2] === "next") return match[1]!;
  }
  return null;
}
