/**
 * The ingest wizard's decisions as plain functions: what a chosen file fills
 * in, which spec a new mapping is created with, and when (and how) a job may
 * start. The wizard's components only hold the state and call these.
 */
import type { MappingDetailsFragment } from "../api/generated/graphql.ts";
import { detectFormat, mappingTemplate, parseSpec, type SourceFormat } from "./ingestSource.ts";

/** The formats the wizard offers, in the order of its select. */
export const SOURCE_FORMATS: SourceFormat[] = ["CSV", "NDJSON", "JSON", "STIX"];

/** The mapping radio's value for "New mapping…". */
export const NEW_MAPPING = "__new__";

type Mapping = Pick<MappingDetailsFragment, "id" | "format" | "state">;

/** A spec template as the spec field shows it: indented JSON. */
export const specTemplateText = (format: SourceFormat, csvHeader?: string) => JSON.stringify(mappingTemplate(format, csvHeader), null, 2);

/** The mappings to offer for a format (all of them until the format is known). */
export const mappingsFor = <M extends Mapping>(mappings: readonly M[], format: SourceFormat | "") =>
  mappings.filter((m) => !format || m.format === format);

export interface FileDefaults {
  format: SourceFormat | "";
  mappingName: string;
  /** null: keep the spec typed so far. */
  specText: string | null;
  mappingId: string;
}

/**
 * What choosing a file fills in, from its name and first bytes: the detected
 * format, a mapping name, a spec template (none when the format is unknown) and
 * the first mapping of that format, or a new one.
 */
export function fileDefaults(fileName: string, head: string, mappings: readonly Mapping[]): FileDefaults {
  const format = detectFormat(fileName, head) ?? "";
  const first = mappings.find((m) => m.format === format);
  return {
    format,
    mappingName: fileName.replace(/\.[^.]+$/, ""),
    specText: format ? specTemplateText(format, head.split(/\r?\n/)[0]) : null,
    mappingId: first ? first.id : NEW_MAPPING,
  };
}

/** The spec a new mapping is created with (STIX needs none), or what to fix first. */
export function newMappingSpec(
  format: SourceFormat | "",
  specText: string,
): { ok: true; format: SourceFormat; spec: unknown } | { ok: false; message: string } {
  if (!format) return { ok: false, message: "Pick the file's format first." };
  if (format === "STIX") return { ok: true, format, spec: null };
  const parsed = parseSpec(specText);
  return parsed.ok ? { ok: true, format, spec: parsed.spec } : parsed;
}

/** The audited override reason to start with: only for a mapping that is not approved, when the override is ticked. */
export function approvalOverride(mapping: Pick<Mapping, "state">, useOverride: boolean, reason: string): string | null {
  return mapping.state !== "APPROVED" && useOverride ? reason.trim() : null;
}

/** A job may start with a file and a mapping that is approved, or overridden with a reason. */
export function canStart(file: unknown, mapping: Pick<Mapping, "state"> | undefined, useOverride: boolean, reason: string): boolean {
  if (!file || !mapping) return false;
  return mapping.state === "APPROVED" || Boolean(approvalOverride(mapping, useOverride, reason));
}

/** The `createIngestJob` input for a file and its mapping. */
export function ingestJobInput(mapping: Pick<Mapping, "id" | "state">, fileName: string, useOverride: boolean, reason: string) {
  const override = approvalOverride(mapping, useOverride, reason);
  return { mappingId: mapping.id, fileName, ...(override === null ? {} : { approvalOverride: override }) };
}
