/**
 * Deterministic NDJSON threat events for the `ingest-1m` benchmark: the same
 * options always give the same bytes (the summary's sha256 says so), and the
 * summary gives the exact outcome an ingest with BENCH_MAPPING must reach in an
 * empty tenant — bad records, and distinct entities and relationships after
 * entity resolution.
 *
 *   node --import tsx bench/ingest/generateEvents.ts <file> [events] [seed]    → prints the summary JSON
 *
 * One line per event, keys in this order:
 *   {"indicator":"[domain-name:value = 'login-3f.example.com']","kind":"domain","domain":"login-3f.example.com",
 *    "ip":"198.18.4.7","org":"Cobalt Harbor Logistics Ltd","confidence":0.87,"seen":"2025-01-01T00:00:31.000Z"}
 *
 * - Fresh events name a new domain (owned by one of a few thousand organisations,
 *   picked with a skew so some are large), an address and an indicator whose
 *   pattern is the domain (kind "domain") or the address ("ipv4", "ipv6").
 *   IPv4 addresses come from 198.18.0.0/15 (RFC 2544, benchmarking), so with many
 *   events they are shared by several domains, as on real hosting; IPv6 from
 *   2001:db8::/32. Domains are under reserved names (.example, .test, example.com).
 * - About `duplicateShare` of events re-mention entities of an earlier event:
 *   half repeat it whole (same pattern; domain, address and organisation re-spelt:
 *   case, trailing dot, IPv6 spelling, IPv4-mapped IPv6, extra spaces), a quarter
 *   pair a known domain with a new address, a quarter a known address with a new domain.
 * - About `badShare` of events are bad records, each dead-lettered whole: a
 *   truncated line, an event without an indicator, or an invalid address
 *   ("300.1.2.3", "010.0.0.1", …). The count is exact.
 *
 * Counting assumes the ingest's key normalisation: Indicator pattern and
 * Organization name trimmed, whitespace collapsed, case-folded; Domain name
 * lowercased without a trailing dot; IPAddress canonical (IPv4-mapped IPv6 → IPv4).
 * Relationships are distinct (from entity, type, to entity).
 */
import { pathToFileURL } from "node:url";
// A type only (erased at run time): bench/ is not a workspace package, so it cannot import @intelgraph/subgraph-graph by name.
// eslint-disable-next-line no-restricted-imports
import type { MappingSpec } from "../../subgraphs/graph/src/ingest/mappingSpec.ts";
import { createEntityNames } from "./createEntityNames.ts";
import { createEventSource } from "./createEventSource.ts";
import { createHashedWriter } from "./createHashedWriter.ts";
import { createOutcomeCounter, type Outcome } from "./createOutcomeCounter.ts";
import { createRandom } from "./createRandom.ts";
import { createRespellings } from "./createRespellings.ts";

export interface GeneratedSummary extends Outcome {
  events: number;
  badRecords: number;
  bytes: number;
  sha256: string;
}

export interface GenerateOptions {
  /** @default 1_000_000 */
  events?: number;
  /** @default 42 */
  seed?: number;
  /** Share of events that re-mention entities of an earlier event. @default 0.15 */
  duplicateShare?: number;
  /** Share of events that are bad records. @default 0.003 */
  badShare?: number;
}

/** How the generated events map onto the graph. */
export const BENCH_MAPPING: MappingSpec = {
  entities: [
    { as: "indicator", type: "Indicator", key: ["pattern"], properties: { pattern: "indicator", kind: "kind" }, optional: false },
    { as: "domain", type: "Domain", key: ["name"], properties: { name: "domain" }, optional: true },
    { as: "ip", type: "IPAddress", key: ["address"], properties: { address: "ip" }, optional: true },
    { as: "org", type: "Organization", key: ["name"], properties: { name: "org" }, optional: true },
  ],
  relationships: [
    { type: "INDICATES", from: "indicator", to: "domain", confidence: { from: "confidence" } },
    { type: "INDICATES", from: "indicator", to: "ip", confidence: { from: "confidence" } },
    { type: "RESOLVES_TO", from: "domain", to: "ip", confidence: 1 },
    { type: "OWNS", from: "org", to: "domain", confidence: 1 },
  ],
};

/** Writes the events to `file` and returns what an ingest of them must reach. */
export async function generateEvents(file: string, options: GenerateOptions = {}): Promise<GeneratedSummary> {
  const { events = 1_000_000, seed = 42, duplicateShare = 0.15, badShare = 0.003 } = options;
  if (!Number.isInteger(events) || events < 0) throw new RangeError(`events must be a whole number ≥ 0, not ${events}`);
  if (!(duplicateShare >= 0 && badShare >= 0 && duplicateShare + badShare <= 1))
    throw new RangeError("duplicateShare and badShare must be ≥ 0 and add up to at most 1");

  const random = createRandom(seed);
  const names = createEntityNames(random);
  const respell = createRespellings(random);
  const counter = createOutcomeCounter(names.orgs);
  const nextEvent = createEventSource({ random, names, respell, counter, duplicateShare, badShare });
  const writer = createHashedWriter(file);

  let badRecords = 0;
  for (let n = 0; n < events; n++) {
    const { line, bad } = nextEvent();
    if (bad) badRecords++;
    if (writer.add(line)) await writer.flush();
  }
  const { bytes, sha256 } = await writer.close();
  return { events, badRecords, ...counter.outcome(), bytes, sha256 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, events, seed] = process.argv.slice(2);
  if (!file) {
    console.error("usage: node --import tsx bench/ingest/generateEvents.ts <file> [events] [seed]");
    process.exit(64);
  }
  const started = performance.now();
  const summary = await generateEvents(file, {
    ...(events ? { events: Number(events) } : {}),
    ...(seed ? { seed: Number(seed) } : {}),
  });
  console.log(JSON.stringify(summary, null, 2));
  console.error(
    `${summary.events} events, ${(summary.bytes / 2 ** 20).toFixed(1)} MiB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
