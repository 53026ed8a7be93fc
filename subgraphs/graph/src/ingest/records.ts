/**
 * Streaming readers: a byte stream in, one record at a time out, never the
 * whole file in memory. A record that cannot be parsed is still yielded (with
 * `error` and its raw text) so it reaches the dead-letter store in order; a
 * file whose structure is broken (unbalanced JSON) ends the read with an error.
 */
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { parse as parseCsv } from "csv-parse";
import chain from "stream-chain";
import { parser as jsonParser } from "stream-json";
import { pick } from "stream-json/filters/pick.js";
import { streamArray } from "stream-json/streamers/stream-array.js";
import type { SourceFormat } from "./mappingSpec.ts";

export interface SourceRecord {
  /** 0-based position in the source; the checkpoint counts these. */
  index: number;
  /** 1-based line for CSV and NDJSON. */
  line?: number;
  /** The record as text, kept for the dead-letter store. */
  raw: string;
  value?: Record<string, unknown>;
  /** Why the record could not be parsed. */
  error?: string;
}

export interface ReadOptions {
  /** JSON: where the record array is (`items`); STIX always reads `objects`. */
  recordsPath?: string;
  /** CSV: told the header once it is read, so a dead letter can be replayed later. */
  onCsvHeader?: (columns: string[]) => void;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export function readRecords(format: SourceFormat, input: Readable, options: ReadOptions = {}): AsyncGenerator<SourceRecord> {
  switch (format) {
    case "NDJSON":
      return readNdjson(input);
    case "CSV":
      return readCsv(input, options);
    case "JSON":
      return readJsonArray(input, options.recordsPath);
    case "STIX":
      return readJsonArray(input, "objects");
  }
}

async function* readNdjson(input: Readable): AsyncGenerator<SourceRecord> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  let index = 0;
  for await (const text of lines) {
    line++;
    if (!text.trim()) continue;
    yield { index: index++, line, ...parseJsonRecord(text) };
  }
}

/** One NDJSON line or a fixed dead letter: an object, or the reason it is not one. */
export function parseJsonRecord(text: string): Pick<SourceRecord, "raw" | "value" | "error"> {
  try {
    const value: unknown = JSON.parse(text);
    if (!isObject(value)) return { raw: text, error: "the record is not a JSON object" };
    return { raw: text, value };
  } catch (error) {
    return { raw: text, error: `not valid JSON: ${(error as Error).message}` };
  }
}

async function* readCsv(input: Readable, options: ReadOptions): AsyncGenerator<SourceRecord> {
  const skipped: SourceRecord[] = [];
  let index = 0;
  const parser = parseCsv({
    bom: true,
    columns: (header: string[]) => {
      const columns = header.map((c) => c.trim());
      options.onCsvHeader?.(columns);
      return columns;
    },
    skip_empty_lines: true,
    info: true,
    raw: true,
    // A malformed row (wrong column count, bad quoting) is reported, not fatal to the file.
    skip_records_with_error: true,
    on_skip: (error, raw) => {
      skipped.push({
        index: -1,
        line: Number((error as { lines?: number } | undefined)?.lines ?? 0) || undefined,
        raw: raw ?? "",
        error: `not a valid CSV row: ${error?.message ?? "unreadable"}`,
      });
      return undefined;
    },
  });
  input.pipe(parser);
  input.on("error", (error) => parser.destroy(error));
  for await (const entry of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number }; raw: string }>) {
    while (skipped.length) yield { ...skipped.shift()!, index: index++ };
    yield { index: index++, line: entry.info.lines, raw: entry.raw.replace(/\r?\n$/, ""), value: entry.record };
  }
  while (skipped.length) yield { ...skipped.shift()!, index: index++ };
}

/** A CSV row fixed in the dead-letter store, parsed with the job's header. */
export async function parseCsvRow(columns: string[], raw: string): Promise<Pick<SourceRecord, "raw" | "value" | "error">> {
  const { parse } = await import("csv-parse/sync");
  try {
    const rows = parse(raw, { columns, relax_quotes: false }) as Array<Record<string, string>>;
    if (rows.length !== 1) return { raw, error: `expected one CSV row, got ${rows.length}` };
    return { raw, value: rows[0]! };
  } catch (error) {
    return { raw, error: `not a valid CSV row: ${(error as Error).message}` };
  }
}

async function* readJsonArray(input: Readable, recordsPath: string | undefined): AsyncGenerator<SourceRecord> {
  const stages: unknown[] = [jsonParser()];
  if (recordsPath) stages.push(pick({ filter: recordsPath }));
  stages.push(streamArray());
  const pipeline = chain(stages as never) as unknown as NodeJS.ReadableStream & NodeJS.WritableStream;
  input.pipe(pipeline as unknown as NodeJS.WritableStream);
  input.on("error", (error) => (pipeline as unknown as { destroy(e: Error): void }).destroy(error));
  let index = 0;
  try {
    for await (const item of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      const raw = JSON.stringify(item.value);
      yield isObject(item.value)
        ? { index: index++, raw, value: item.value }
        : { index: index++, raw, error: "the record is not a JSON object" };
    }
  } catch (error) {
    throw new Error(`the JSON file is malformed after record ${index}: ${(error as Error).message}`);
  }
  if (index === 0 && recordsPath) {
    // pick() finds nothing when the path is wrong; say so rather than report an empty success.
    throw new Error(`no record array at "${recordsPath}" (or it is empty)`);
  }
}
