/** Each step kind's config as form fields (the subgraph's step kinds, docs/playbooks.md). */
import type { PlaybookStepKind } from "../api/generated/graphql.ts";

export type ConfigFieldType = "text" | "textarea" | "json" | "boolean" | "select";

export interface ConfigField {
  key: string;
  label: string;
  type: ConfigFieldType;
  required?: boolean;
  options?: readonly string[];
  placeholder?: string;
}

export const STEP_KINDS: Record<PlaybookStepKind, { label: string; fields: readonly ConfigField[] }> = {
  ASK: {
    label: "Ask the graph",
    fields: [
      { key: "question", label: "Question", type: "textarea", required: true, placeholder: "Which people work for “{{params.org}}”?" },
      { key: "confirm", label: "Run even when confidence is low", type: "boolean" },
    ],
  },
  GRAPH_QUERY: {
    label: "Graph query",
    fields: [
      {
        key: "query",
        label: "GraphQL query (read-only)",
        type: "textarea",
        required: true,
        placeholder: "query { people(limit: 5) { name } }",
      },
      { key: "variables", label: "Variables (JSON)", type: "json", placeholder: '{ "name": "{{params.org}}" }' },
    ],
  },
  CREATE_REPORT: {
    label: "Create a report",
    fields: [
      { key: "title", label: "Report title", type: "text", required: true },
      { key: "sections", label: "Sections (JSON)", type: "json", placeholder: '[{ "title": "People", "body": "{{steps.s1.rows}}" }]' },
      { key: "findings", label: "Findings (JSON)", type: "json" },
      { key: "publish", label: "Publish it", type: "boolean" },
    ],
  },
  UPDATE_REPORT: {
    label: "Update a report",
    fields: [
      { key: "reportId", label: "Report id (default: the run's report)", type: "text" },
      { key: "title", label: "Report title", type: "text", required: true },
      { key: "sections", label: "Sections (JSON)", type: "json" },
      { key: "findings", label: "Findings (JSON)", type: "json" },
      { key: "publish", label: "Publish it", type: "boolean" },
    ],
  },
  EXPORT_REPORT: {
    label: "Export a report",
    fields: [
      { key: "reportId", label: "Report id (default: the run's report)", type: "text" },
      { key: "format", label: "Format", type: "select", options: ["JSON", "MARKDOWN", "PDF"] },
      { key: "destinationRegion", label: "Destination region", type: "text", required: true, placeholder: "eu-west-1" },
      { key: "locale", label: "Locale", type: "text", placeholder: "en-GB" },
    ],
  },
  CONNECTOR_INGEST: {
    label: "Pull incidents from a connector",
    fields: [{ key: "connectorId", label: "Connector id", type: "text", required: true }],
  },
  SERVICENOW_INCIDENT: {
    label: "Create or update a ServiceNow incident",
    fields: [
      { key: "connectorId", label: "Connector id", type: "text", required: true },
      { key: "incidentId", label: "Incident id", type: "text", required: true, placeholder: "{{params.incident}}" },
      { key: "action", label: "Action", type: "select", options: ["UPSERT", "RESOLVE"] },
      { key: "workNotes", label: "Work notes", type: "textarea" },
    ],
  },
  WEBHOOK: {
    label: "Call a webhook",
    fields: [
      { key: "url", label: "URL (https)", type: "text", required: true, placeholder: "https://hooks.example.com/playbook" },
      { key: "body", label: "Body (JSON)", type: "json" },
    ],
  },
};

export const STEP_KIND_LIST = Object.keys(STEP_KINDS) as PlaybookStepKind[];

/** Form values of a step's config: strings for text and JSON, booleans for checkboxes. */
export type ConfigValues = Record<string, string | boolean>;

/** A stored config → form values; keys the form has no field for are kept aside, so saving does not drop them. */
export function configValues(kind: PlaybookStepKind, config: unknown): { values: ConfigValues; extra: Record<string, unknown> } {
  const source = config && typeof config === "object" && !Array.isArray(config) ? (config as Record<string, unknown>) : {};
  const values: ConfigValues = {};
  const extra: Record<string, unknown> = { ...source };
  for (const field of STEP_KINDS[kind].fields) {
    const value = source[field.key];
    delete extra[field.key];
    if (field.type === "boolean") values[field.key] = value === true;
    else if (field.type === "json") values[field.key] = value === undefined ? "" : JSON.stringify(value, null, 2);
    else values[field.key] = value === undefined || value === null ? (field.options?.[0] ?? "") : String(value);
  }
  return { values, extra };
}

/** Form values → the config to store, with a problem per field that cannot be sent. */
export function configOf(
  kind: PlaybookStepKind,
  values: ConfigValues,
  extra: Record<string, unknown> = {},
): { config: Record<string, unknown>; problems: Array<{ key: string; message: string }> } {
  const config: Record<string, unknown> = { ...extra };
  const problems: Array<{ key: string; message: string }> = [];
  for (const field of STEP_KINDS[kind].fields) {
    const value = values[field.key];
    if (field.type === "boolean") {
      if (value === true) config[field.key] = true;
      continue;
    }
    const text = typeof value === "string" ? value.trim() : "";
    if (!text) {
      if (field.required) problems.push({ key: field.key, message: `${field.label} is required.` });
      continue;
    }
    if (field.type === "json") {
      try {
        config[field.key] = JSON.parse(text) as unknown;
      } catch {
        problems.push({ key: field.key, message: `${field.label} is not valid JSON.` });
      }
    } else config[field.key] = text;
  }
  return { config, problems };
}
