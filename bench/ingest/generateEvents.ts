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
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { pathToFileURL } from "node:url";
// A type only (erased at run time): bench/ is not a workspace package, so it cannot import @intelgraph/subgraph-graph by name.
// eslint-disable-next-line no-restricted-imports
import type { MappingSpec } from "../../subgraphs/graph/src/ingest/mappingSpec.ts";

export interface GeneratedSummary {
  events: number;
  badRecords: number;
  entities: { Indicator: number; Domain: number; IPAddress: number; Organization: number };
  relationships: { INDICATES: number; RESOLVES_TO: number; OWNS: number };
  bytes: number;
  sha256: string;
}

export interface GenerateOptions {
  events?: number;
  seed?: number;
  duplicateShare?: number;
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

const ORG_COUNT = 3000;
const POOL_SIZE = 100_000;
const CHUNK_CHARS = 1 << 16;
const PAIR_LIMIT = 2 ** 26;
const START_MS = Date.UTC(2025, 0, 1);

/** mulberry32: a small, fast 32-bit PRNG; uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// prettier-ignore
const ORG_WORDS_1 = [
  "Cobalt", "Harbor", "Granite", "Juniper", "Silver", "Northwind", "Bluefin", "Amber", "Cedar", "Falcon", "Meridian", "Orchid",
  "Quartz", "Redwood", "Summit", "Tidewater", "Vertex", "Willow", "Aurora", "Beacon", "Copper", "Driftwood", "Evergreen", "Foxglove",
  "Halcyon", "Ironbridge", "Kestrel", "Lakeshore", "Marigold", "Nimbus",
];
// prettier-ignore
const ORG_WORDS_2 = [
  "Ridge", "Point", "Valley", "Bay", "Field", "Crest", "Gate", "Hollow", "Park", "Stone", "Brook", "Haven", "Peak", "Grove", "Works",
  "Bridge", "Harbour", "Mill", "Shore", "Crossing",
];
// prettier-ignore
const ORG_WORDS_3 = [
  "Logistics", "Bank", "Analytics", "Health", "Energy", "Foods", "Telecom", "Insurance", "Systems", "Robotics", "Media", "Pharma",
  "Capital", "Retail", "Aerospace", "Labs",
];
const ORG_SUFFIXES = ["Ltd", "Inc.", "Group", "LLC", "GmbH", "Holdings", "Corp", "Partners"];
// prettier-ignore
const HOST_WORDS = [
  "login", "secure", "update", "cdn", "mail", "portal", "auth", "files", "api", "pay", "sso", "vpn", "docs", "status", "track",
  "sync", "cloud", "help", "billing", "account",
];
const BASES = ["example.com", "example.net", "example.org", "test", "example"];
const BAD_ADDRESSES = ["300.1.2.3", "010.0.0.1", "198.18.0.256", "198.18.07.1", "2001:db8::1::2"];

interface Known {
  pattern: string;
  kind: string;
  domain: string;
  ip: string;
  org: number;
}

/** RFC 5952 text of eight 16-bit groups: lowercase, no leading zeros, the first longest run of ≥ 2 zero groups as "::". */
function ipv6Text(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

/** The eight groups of an RFC 5952 address this module wrote. */
function ipv6Groups(text: string): number[] {
  const [head, tail] = text.split("::") as [string, string | undefined];
  const h = head ? head.split(":").map((g) => parseInt(g, 16)) : [];
  if (tail === undefined) return h;
  const t = tail ? tail.split(":").map((g) => parseInt(g, 16)) : [];
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/**
 * A set of (from id, to id) pairs in one open-addressing table. A Set of numbers would box every
 * pair above 2^31 and spend most of the run hashing and collecting them.
 */
class PairSet {
  private table = new Float64Array(1 << 16).fill(-1);
  size = 0;

  add(from: number, to: number): void {
    if (from >= PAIR_LIMIT || to >= PAIR_LIMIT) throw new RangeError("more than 2^26 entities of one type");
    if (this.insert(this.table, from, to)) this.size++;
    if (this.size * 2 > this.table.length) {
      const old = this.table;
      this.table = new Float64Array(old.length * 2).fill(-1);
      for (const key of old) if (key >= 0) this.insert(this.table, Math.floor(key / PAIR_LIMIT), key % PAIR_LIMIT);
    }
  }

  private insert(table: Float64Array, from: number, to: number): boolean {
    const key = from * PAIR_LIMIT + to;
    const mask = table.length - 1;
    const h = Math.imul(from ^ Math.imul(to, 0x85ebca6b), 0x9e3779b1);
    for (let i = (h ^ (h >>> 15)) & mask; ; i = (i + 1) & mask) {
      if (table[i] === key) return false;
      if (table[i] === -1) {
        table[i] = key;
        return true;
      }
    }
  }
}

const casefold = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
const domainKey = (s: string) => s.toLowerCase().replace(/\.$/, "");

export async function generateEvents(file: string, options: GenerateOptions = {}): Promise<GeneratedSummary> {
  const events = options.events ?? 1_000_000;
  const seed = options.seed ?? 42;
  const duplicateShare = options.duplicateShare ?? 0.15;
  const badShare = options.badShare ?? 0.003;
  if (!Number.isInteger(events) || events < 0) throw new RangeError(`events must be a whole number ≥ 0, not ${events}`);
  if (!(duplicateShare >= 0 && badShare >= 0 && duplicateShare + badShare <= 1))
    throw new RangeError("duplicateShare and badShare must be ≥ 0 and add up to at most 1");

  const rand = mulberry32(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;

  // Organisations: distinct after case-folding; picked with a skew, so a few own many domains.
  const orgs: string[] = [];
  const orgSlugs: string[] = [];
  const orgKeys = new Set<string>();
  while (orgs.length < ORG_COUNT) {
    const [a, b] = [pick(ORG_WORDS_1), pick(ORG_WORDS_2)];
    const name = `${a} ${b} ${pick(ORG_WORDS_3)} ${pick(ORG_SUFFIXES)}`;
    if (orgKeys.has(casefold(name))) continue;
    orgKeys.add(casefold(name));
    orgs.push(name);
    orgSlugs.push(`${a}${b}`.toLowerCase());
  }
  const pickOrg = () => Math.floor(ORG_COUNT * rand() ** 2);

  let domainSeq = 0;
  const freshDomain = (org: number) =>
    `${pick(HOST_WORDS)}-${(domainSeq++).toString(36)}.${rand() < 0.5 ? `${orgSlugs[org]}.example` : pick(BASES)}`;
  const freshIpv4 = () => {
    const n = int(1 << 17);
    return `198.${18 + (n >>> 16)}.${(n >>> 8) & 255}.${n & 255}`;
  };
  const freshIpv6 = () =>
    ipv6Text([0x2001, 0xdb8, int(0x10000), rand() < 0.3 ? 0 : int(0x10000), 0, 0, rand() < 0.5 ? 0 : int(0x10000), 1 + int(0xffff)]);
  const patternFor = (kind: string, domain: string, ip: string) =>
    kind === "domain" ? `[domain-name:value = '${domain}']` : `[${kind}-addr:value = '${ip}']`;

  // Re-spellings that normalise to the same key.
  const randomCase = (s: string) => Array.from(s, (c) => (rand() < 0.5 ? c.toUpperCase() : c)).join("");
  const domainVariant = (d: string): string => {
    switch (int(5)) {
      case 0:
        return d.toUpperCase();
      case 1:
        return d.replace(/(^|\.)([a-z])/g, (_m, dot: string, c: string) => dot + c.toUpperCase());
      case 2:
        return `${d}.`;
      case 3:
        return `${d.toUpperCase()}.`;
      default:
        return randomCase(d);
    }
  };
  const ipVariant = (ip: string): string => {
    if (!ip.includes(":")) return int(2) ? `::ffff:${ip}` : `::FFFF:${ip}`;
    const groups = ipv6Groups(ip);
    switch (int(3)) {
      case 0:
        return groups.map((g) => g.toString(16).padStart(4, "0")).join(":");
      case 1:
        return groups.map((g) => g.toString(16)).join(":");
      default:
        return ip.toUpperCase();
    }
  };
  const orgVariant = (name: string): string => {
    switch (int(4)) {
      case 0:
        return name.toUpperCase();
      case 1:
        return name.toLowerCase();
      case 2:
        return name.replace(/ /g, "  ");
      default:
        return `  ${name} `;
    }
  };
  const maybe = (value: string, variant: (v: string) => string) => (rand() < 0.6 ? variant(value) : value);

  // Exact distinct counts: entity keys get small ids; relationships are pairs of ids.
  const ids = { Indicator: new Map<string, number>(), Domain: new Map<string, number>(), IPAddress: new Map<string, number>() };
  const orgsSeen = new Set<number>();
  const idOf = (map: Map<string, number>, key: string) => {
    let id = map.get(key);
    if (id === undefined) map.set(key, (id = map.size));
    return id;
  };
  const rels = { indicatesDomain: new PairSet(), indicatesIp: new PairSet(), resolvesTo: new PairSet(), owns: new PairSet() };
  const orgIds = new Map(orgs.map((name, i) => [casefold(name), i]));
  /** Counts one good event from the spellings it was written with (the address in its canonical form). */
  const count = (pattern: string, domain: string, canonicalIp: string, org: string) => {
    const i = idOf(ids.Indicator, casefold(pattern));
    const d = idOf(ids.Domain, domainKey(domain));
    const a = idOf(ids.IPAddress, canonicalIp);
    const o = orgIds.get(casefold(org));
    if (o === undefined) throw new Error(`${JSON.stringify(org)} is not a spelling of a known organisation`);
    orgsSeen.add(o);
    rels.indicatesDomain.add(i, d);
    rels.indicatesIp.add(i, a);
    rels.resolvesTo.add(d, a);
    rels.owns.add(o, d);
  };

  const pool: Known[] = [];
  const remember = (k: Known) => {
    if (pool.length < POOL_SIZE) pool.push(k);
    else pool[int(POOL_SIZE)] = k;
  };

  const out = createWriteStream(file);
  let failure: Error | undefined;
  out.on("error", (error) => (failure ??= error));
  const hash = createHash("sha256");
  let bytes = 0;
  let chunk = "";
  /** Writes what is buffered; waits for 'drain' when the stream says so, so memory stays flat however many events. */
  const flush = async () => {
    const buf = Buffer.from(chunk, "utf8");
    chunk = "";
    hash.update(buf);
    bytes += buf.length;
    if (!out.write(buf)) {
      if (failure) throw failure;
      await once(out, "drain");
    }
  };

  let badRecords = 0;
  let clock = START_MS;
  for (let n = 0; n < events; n++) {
    clock += 1000 * int(60);
    const confidence = Math.round(30 + 69 * rand()) / 100;
    const seen = new Date(clock).toISOString();
    const roll = rand();
    let line: string;

    if (roll < badShare) {
      badRecords++;
      const org = pickOrg();
      const domain = freshDomain(org);
      const ip = freshIpv4();
      const event: Record<string, unknown> = {
        indicator: patternFor("domain", domain, ip),
        kind: "domain",
        domain,
        ip,
        org: orgs[org],
        confidence,
        seen,
      };
      const flavour = int(3);
      if (flavour === 1) delete event["indicator"];
      if (flavour === 2) event["ip"] = pick(BAD_ADDRESSES);
      line = JSON.stringify(event);
      if (flavour === 0) line = line.slice(0, Math.floor(line.length * (0.2 + 0.7 * rand())));
    } else {
      let known: Known;
      let emit: { domain: string; ip: string; org: string };
      if (roll < badShare + duplicateShare && pool.length > 0) {
        const earlier = pool[int(pool.length)]!;
        const mode = rand();
        if (mode < 0.5) {
          // The same event again, re-spelt.
          known = earlier;
        } else if (mode < 0.75) {
          // A known domain (and its owner) on a new address.
          const kind = rand() < 0.75 ? "ipv4" : "ipv6";
          const ip = kind === "ipv4" ? freshIpv4() : freshIpv6();
          known = { pattern: patternFor(kind, earlier.domain, ip), kind, domain: earlier.domain, ip, org: earlier.org };
          remember(known);
        } else {
          // A known address with a new domain.
          const org = pickOrg();
          const domain = freshDomain(org);
          known = { pattern: patternFor("domain", domain, earlier.ip), kind: "domain", domain, ip: earlier.ip, org };
          remember(known);
        }
        emit = { domain: maybe(known.domain, domainVariant), ip: maybe(known.ip, ipVariant), org: maybe(orgs[known.org]!, orgVariant) };
      } else {
        const org = pickOrg();
        const kindRoll = rand();
        const kind = kindRoll < 0.6 ? "domain" : kindRoll < 0.9 ? "ipv4" : "ipv6";
        const domain = freshDomain(org);
        const ip = kind === "ipv6" || (kind === "domain" && rand() < 0.15) ? freshIpv6() : freshIpv4();
        known = { pattern: patternFor(kind, domain, ip), kind, domain, ip, org };
        remember(known);
        emit = { domain, ip, org: orgs[org]! };
      }
      count(known.pattern, emit.domain, known.ip, emit.org);
      line = JSON.stringify({
        indicator: known.pattern,
        kind: known.kind,
        domain: emit.domain,
        ip: emit.ip,
        org: emit.org,
        confidence,
        seen,
      });
    }

    chunk += line + "\n";
    if (chunk.length >= CHUNK_CHARS) await flush();
  }
  if (chunk) await flush();
  out.end();
  await finished(out);

  return {
    events,
    badRecords,
    entities: { Indicator: ids.Indicator.size, Domain: ids.Domain.size, IPAddress: ids.IPAddress.size, Organization: orgsSeen.size },
    relationships: {
      INDICATES: rels.indicatesDomain.size + rels.indicatesIp.size,
      RESOLVES_TO: rels.resolvesTo.size,
      OWNS: rels.owns.size,
    },
    bytes,
    sha256: hash.digest("hex"),
  };
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
