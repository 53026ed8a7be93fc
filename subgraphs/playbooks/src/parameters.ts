import { appError, ErrorCode } from "@intelgraph/kit";
import type { EntityType, Parameter } from "./model.ts";

/** Answers whether an entity of `type` with `id` exists for the caller (their tenant only). */
export type EntityCheck = (type: EntityType, id: string) => Promise<boolean>;

interface Problem {
  path: string;
  message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function isValidDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const [y, m, d] = value.slice(0, 10).split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d && !Number.isNaN(Date.parse(value));
}

/** The problem with one value of parameter `p`, or null (entity existence is checked apart). */
function problemOf(p: Parameter, value: unknown): string | null {
  switch (p.type) {
    case "STRING":
      if (typeof value !== "string") return `must be a string, got ${JSON.stringify(value)}`;
      return value.length > 10_000 ? "must be at most 10,000 characters" : null;
    case "NUMBER":
      return typeof value === "number" && Number.isFinite(value) ? null : `must be a number, got ${JSON.stringify(value)}`;
    case "DATE":
      return typeof value === "string" && isValidDate(value)
        ? null
        : `must be a date such as 2026-03-31 or 2026-03-31T09:00:00Z, got ${JSON.stringify(value)}`;
    case "ENUM":
      return typeof value === "string" && p.options?.includes(value)
        ? null
        : `must be one of ${(p.options ?? []).join(", ")}; got ${JSON.stringify(value)}`;
    case "ENTITY":
      return typeof value === "string" && value.length > 0 && value.length <= 100
        ? null
        : `must be the id of a ${p.entityType}, got ${JSON.stringify(value)}`;
  }
}

/** Problems of the parameter definitions' defaults (checked when a playbook is saved). */
export function defaultProblems(parameters: readonly Parameter[]): Problem[] {
  const problems: Problem[] = [];
  parameters.forEach((p, i) => {
    if (p.default === null || p.type === "ENTITY") return;
    const problem = problemOf(p, p.default);
    if (problem) problems.push({ path: `parameters.${i}.default`, message: `the default of "${p.name}" ${problem}` });
  });
  return problems;
}

/**
 * The run's parameter values: given ones checked against their definitions,
 * defaults filled in. Throws BAD_USER_INPUT whose `problems` name each bad
 * parameter as `parameters.<name>` (missing, wrong type, enum outside its
 * options, bad date, unknown name, or an entity id that does not exist in the
 * caller's tenant).
 */
export async function resolveParameters(
  definitions: readonly Parameter[],
  given: unknown,
  entityExists: EntityCheck,
): Promise<Record<string, unknown>> {
  if (given !== null && given !== undefined && (typeof given !== "object" || Array.isArray(given))) {
    throw appError(ErrorCode.BAD_USER_INPUT, "parameters must be an object of name → value.", {
      problems: [{ path: "parameters", message: "an object of name → value" }],
    });
  }
  const values = (given ?? {}) as Record<string, unknown>;
  const problems: Problem[] = [];
  const known = new Set(definitions.map((p) => p.name));
  for (const name of Object.keys(values)) {
    if (!known.has(name))
      problems.push({
        path: `parameters.${name}`,
        message: `is not a parameter of this playbook (it has ${[...known].join(", ") || "none"})`,
      });
  }
  const resolved: Record<string, unknown> = {};
  const entities: Array<{ p: Parameter; id: string }> = [];
  for (const p of definitions) {
    const value = values[p.name] ?? p.default;
    if (value === null || value === undefined) {
      if (p.required) problems.push({ path: `parameters.${p.name}`, message: `is required (${p.type.toLowerCase()})` });
      else resolved[p.name] = null;
      continue;
    }
    const problem = problemOf(p, value);
    if (problem) problems.push({ path: `parameters.${p.name}`, message: problem });
    else {
      resolved[p.name] = value;
      if (p.type === "ENTITY") entities.push({ p, id: value as string });
    }
  }
  for (const { p, id } of entities) {
    if (!(await entityExists(p.entityType!, id))) {
      problems.push({ path: `parameters.${p.name}`, message: `no ${p.entityType} with id ${JSON.stringify(id)} exists in your tenant` });
    }
  }
  if (problems.length) {
    const summary = problems.map((p) => `${p.path} ${p.message}`).join("; ");
    throw appError(ErrorCode.BAD_USER_INPUT, `Invalid parameters — ${summary}.`, { problems });
  }
  return resolved;
}
