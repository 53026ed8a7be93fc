/** The Run form: values as typed → the JSON the API validates, with hints per parameter before sending. */
import type { PlaybookParameterType } from "../api/generated/graphql.ts";

export interface RunParameter {
  name: string;
  type: PlaybookParameterType;
  required: boolean;
  default: unknown;
  options: readonly string[] | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** The form's starting values: each default as text. */
export const initialValues = (parameters: readonly RunParameter[]): Record<string, string> =>
  Object.fromEntries(parameters.map((p) => [p.name, p.default === null || p.default === undefined ? "" : String(p.default)]));

/**
 * Coerces the typed values: numbers for NUMBER, strings otherwise; an empty
 * value is left out (the API fills the default). Problems use the API's paths
 * (`parameters.<name>`), so hints and the API's BAD_USER_INPUT problems show in
 * the same place.
 */
export function runParameters(
  parameters: readonly RunParameter[],
  values: Readonly<Record<string, string>>,
): { parameters: Record<string, unknown>; problems: Array<{ path: string; message: string }> } {
  const result: Record<string, unknown> = {};
  const problems: Array<{ path: string; message: string }> = [];
  for (const p of parameters) {
    const text = (values[p.name] ?? "").trim();
    const path = `parameters.${p.name}`;
    if (!text) {
      if (p.required && (p.default === null || p.default === undefined))
        problems.push({ path, message: `is required (${p.type.toLowerCase()})` });
      continue;
    }
    switch (p.type) {
      case "NUMBER": {
        const n = Number(text);
        if (Number.isFinite(n)) result[p.name] = n;
        else problems.push({ path, message: `must be a number, got "${text}"` });
        break;
      }
      case "DATE":
        if (DATE.test(text)) result[p.name] = text;
        else problems.push({ path, message: "must be a date such as 2026-03-31 or 2026-03-31T09:00:00Z" });
        break;
      case "ENUM":
        if (p.options?.includes(text)) result[p.name] = text;
        else problems.push({ path, message: `must be one of ${(p.options ?? []).join(", ")}` });
        break;
      default:
        result[p.name] = text;
    }
  }
  return { parameters: result, problems };
}

/** The problems (from the console or the API) for one parameter. */
export const problemsFor = (problems: ReadonlyArray<{ path: string; message: string }>, name: string) =>
  problems.filter((p) => p.path === `parameters.${name}`).map((p) => p.message);
