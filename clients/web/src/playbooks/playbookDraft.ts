/** The playbook editor's draft: what the forms hold, built from a saved playbook and turned back into the API's input. */
import type {
  PlaybookDetailsFieldsFragment,
  PlaybookEntityType,
  PlaybookMissedRunPolicy,
  PlaybookParameterInput,
  PlaybookParameterType,
  PlaybookStepInput,
  PlaybookStepKind,
  UpdatePlaybookInput,
} from "../api/generated/graphql.ts";
import { configOf, configValues, type ConfigValues } from "./stepKinds.ts";

export interface ParameterDraft {
  /** Stable key for <For> while rows move. */
  key: string;
  name: string;
  type: PlaybookParameterType;
  required: boolean;
  /** As typed; empty means no default. */
  default: string;
  /** ENUM: options separated by commas. */
  options: string;
  entityType: PlaybookEntityType;
  description: string;
}

export interface StepDraft {
  key: string;
  /** The step's stable id (later steps read {{steps.<id>.…}}). */
  id: string;
  name: string;
  kind: PlaybookStepKind;
  values: ConfigValues;
  /** Config keys the form has no field for, kept as they were. */
  extra: Record<string, unknown>;
  timeoutSeconds: string;
  retries: string;
}

export interface ScheduleDraft {
  enabled: boolean;
  cron: string;
  timeZone: string;
  missedRunPolicy: PlaybookMissedRunPolicy;
}

export interface PlaybookDraft {
  name: string;
  description: string;
  requiresApproval: boolean;
  parameters: ParameterDraft[];
  steps: StepDraft[];
  schedule: ScheduleDraft;
}

export interface DraftProblem {
  /** The API's problem path style: name, parameters.0.name, steps.1.config.question, schedule.cron. */
  path: string;
  message: string;
}

let counter = 0;
export const newKey = () => `k${(counter += 1)}`;

export const newParameter = (): ParameterDraft => ({
  key: newKey(),
  name: "",
  type: "STRING",
  required: false,
  default: "",
  options: "",
  entityType: "Organization",
  description: "",
});

/** A new step of `kind`, with an id not yet used by `steps`. */
export function newStep(kind: PlaybookStepKind, steps: readonly StepDraft[]): StepDraft {
  const used = new Set(steps.map((s) => s.id));
  let n = steps.length + 1;
  while (used.has(`s${n}`)) n += 1;
  return { key: newKey(), id: `s${n}`, name: "", kind, ...configValues(kind, {}), timeoutSeconds: "30", retries: "0" };
}

/** The step with a new kind: fields of the new kind start empty, values of same-named fields carry over. */
export function changeKind(step: StepDraft, kind: PlaybookStepKind): StepDraft {
  const fresh = configValues(kind, {}).values;
  for (const key of Object.keys(fresh)) if (key in step.values) fresh[key] = step.values[key]!;
  return { ...step, kind, values: fresh, extra: {} };
}

export const emptyDraft = (): PlaybookDraft => ({
  name: "",
  description: "",
  requiresApproval: false,
  parameters: [],
  steps: [],
  schedule: { enabled: false, cron: "0 8 * * 1-5", timeZone: "UTC", missedRunPolicy: "SKIP" },
});

const defaultText = (value: unknown) => (value === null || value === undefined ? "" : String(value));

export function draftOf(p: PlaybookDetailsFieldsFragment): PlaybookDraft {
  return {
    name: p.name,
    description: p.description ?? "",
    requiresApproval: p.requiresApproval,
    parameters: p.parameters.map((x) => ({
      key: newKey(),
      name: x.name,
      type: x.type,
      required: x.required,
      default: defaultText(x.default),
      options: (x.options ?? []).join(", "),
      entityType: x.entityType ?? "Organization",
      description: x.description ?? "",
    })),
    steps: p.steps.map((s) => ({
      key: newKey(),
      id: s.id,
      name: s.name,
      kind: s.kind,
      ...configValues(s.kind, s.config),
      timeoutSeconds: String(s.timeoutMs / 1000),
      retries: String(s.retries),
    })),
    schedule: p.schedule
      ? { enabled: true, cron: p.schedule.cron, timeZone: p.schedule.timeZone, missedRunPolicy: p.schedule.missedRunPolicy }
      : { ...emptyDraft().schedule },
  };
}

export const splitOptions = (text: string) =>
  text
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);

/** A default as typed → its JSON value (numbers for NUMBER), or a problem. */
function defaultValue(p: ParameterDraft): { value: unknown; problem?: string } {
  const text = p.default.trim();
  if (!text) return { value: null };
  if (p.type === "NUMBER") {
    const n = Number(text);
    return Number.isFinite(n) ? { value: n } : { value: null, problem: "The default must be a number." };
  }
  if (p.type === "ENUM" && !splitOptions(p.options).includes(text))
    return { value: null, problem: "The default must be one of the options." };
  return { value: text };
}

function parameterInput(p: ParameterDraft, i: number, problems: DraftProblem[]): PlaybookParameterInput {
  const name = p.name.trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    problems.push({ path: `parameters.${i}.name`, message: "A name of letters, digits and _ (used as {{params.<name>}})." });
  const options = splitOptions(p.options);
  if (p.type === "ENUM" && options.length === 0)
    problems.push({ path: `parameters.${i}.options`, message: "List the options, comma separated." });
  const { value, problem } = defaultValue(p);
  if (problem) problems.push({ path: `parameters.${i}.default`, message: problem });
  return {
    name,
    type: p.type,
    required: p.required,
    default: value,
    ...(p.type === "ENUM" ? { options } : {}),
    ...(p.type === "ENTITY" ? { entityType: p.entityType } : {}),
    description: p.description.trim() || null,
  };
}

function stepInput(s: StepDraft, i: number, problems: DraftProblem[]): PlaybookStepInput {
  const { config, problems: configProblems } = configOf(s.kind, s.values, s.extra);
  for (const p of configProblems) problems.push({ path: `steps.${i}.config.${p.key}`, message: p.message });
  const timeout = Number(s.timeoutSeconds);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 600)
    problems.push({ path: `steps.${i}.timeoutMs`, message: "A timeout between 1 and 600 seconds." });
  const retries = Number(s.retries);
  if (!Number.isInteger(retries) || retries < 0 || retries > 5)
    problems.push({ path: `steps.${i}.retries`, message: "Retries from 0 to 5." });
  if (!/^[A-Za-z0-9_-]+$/.test(s.id.trim())) problems.push({ path: `steps.${i}.id`, message: "An id of letters, digits, - and _." });
  return {
    id: s.id.trim(),
    ...(s.name.trim() ? { name: s.name.trim() } : {}),
    kind: s.kind,
    config,
    timeoutMs: Math.round(timeout * 1000),
    retries,
  };
}

/** The draft as the create/update input, and the problems the console can see before sending. */
export function playbookInput(draft: PlaybookDraft): { input: UpdatePlaybookInput; problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  if (!draft.name.trim()) problems.push({ path: "name", message: "Give the playbook a name." });
  const parameters = draft.parameters.map((p, i) => parameterInput(p, i, problems));
  const names = parameters.map((p) => p.name);
  names.forEach((n, i) => {
    if (n && names.indexOf(n) !== i) problems.push({ path: `parameters.${i}.name`, message: `"${n}" is used twice.` });
  });
  if (draft.steps.length === 0) problems.push({ path: "steps", message: "Add at least one step." });
  const steps = draft.steps.map((s, i) => stepInput(s, i, problems));
  const ids = steps.map((s) => s.id);
  ids.forEach((id, i) => {
    if (id && ids.indexOf(id) !== i) problems.push({ path: `steps.${i}.id`, message: `Step id "${String(id)}" is used twice.` });
  });
  if (draft.schedule.enabled && !draft.schedule.cron.trim()) problems.push({ path: "schedule.cron", message: "Give a cron pattern." });
  const schedule = draft.schedule.enabled
    ? {
        cron: draft.schedule.cron.trim(),
        timeZone: draft.schedule.timeZone.trim() || "UTC",
        missedRunPolicy: draft.schedule.missedRunPolicy,
      }
    : null;
  return {
    input: {
      name: draft.name.trim(),
      description: draft.description.trim() || null,
      parameters,
      steps,
      schedule,
      requiresApproval: draft.requiresApproval,
    },
    problems,
  };
}

/** Moves item `from` to `to` (for the Up/Down buttons). */
export function moved<T>(items: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length || from === to) return [...items];
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
}
