/**
 * Step configs are templates: any string may hold `{{params.<name>}}` or
 * `{{steps.<stepId>.<path>}}` (a dotted path into an earlier step's output,
 * numbers index arrays). Plain substitution, no expressions: a string that is
 * exactly one placeholder becomes the value itself (numbers stay numbers),
 * otherwise values are written into the text (objects as JSON).
 */

export interface TemplateScope {
  params: Record<string, unknown>;
  steps: Record<string, unknown>;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}$/;

export class TemplateError extends Error {}

function lookup(scope: TemplateScope, ref: string): unknown {
  const [root, ...path] = ref.split(".");
  if (root !== "params" && root !== "steps") {
    throw new TemplateError(`{{${ref}}} is not a known placeholder: use {{params.<name>}} or {{steps.<stepId>.<path>}}.`);
  }
  let value: unknown = scope[root];
  for (const key of path) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) {
      throw new TemplateError(
        root === "steps" && path[0] === key ? `{{${ref}}}: no earlier step "${key}" has an output.` : `{{${ref}}}: "${key}" is not there.`,
      );
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const asText = (value: unknown) => (typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value));

/** Renders every string in `value` (recursively through arrays and objects); throws TemplateError for an unknown reference. */
export function renderTemplate(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === "string") {
    const whole = WHOLE.exec(value);
    if (whole) return lookup(scope, whole[1]!);
    return value.replace(PLACEHOLDER, (_, ref: string) => asText(lookup(scope, ref)));
  }
  if (Array.isArray(value)) return value.map((v) => renderTemplate(v, scope));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderTemplate(v, scope)]));
  }
  return value;
}
