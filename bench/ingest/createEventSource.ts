import type { Random } from "./createRandom.ts";
import type { EntityNames } from "./createEntityNames.ts";
import type { OutcomeCounter } from "./createOutcomeCounter.ts";
import type { Respellings } from "./createRespellings.ts";
import { BAD_ADDRESSES } from "./eventVocabulary.ts";

const POOL_SIZE = 100_000;
const START_MS = Date.UTC(2025, 0, 1);

/** An event as first written: what later re-mentions refer back to. */
interface Known {
  pattern: string;
  kind: string;
  domain: string;
  ip: string;
  org: number;
}

export interface EventSourceOptions {
  random: Random;
  names: EntityNames;
  respell: Respellings;
  /** Counts every good event as it is made. */
  counter: OutcomeCounter;
  /** Share of events that re-mention entities of an earlier one. */
  duplicateShare: number;
  /** Share of events that are bad records. */
  badShare: number;
}

/** The next event's NDJSON line, and whether it is a bad record; events are a minute apart at most, from 2025-01-01. */
export type NextEvent = () => { line: string; bad: boolean };

/**
 * The stream of events. Every draw from `random` happens in a fixed order, so the same
 * seed gives the same lines; keep that order when changing anything here.
 */
export function createEventSource({ random, names, respell, counter, duplicateShare, badShare }: EventSourceOptions): NextEvent {
  const { rand, int, pick } = random;
  const { orgs, pickOrg, freshDomain, freshIpv4, freshIpv6, patternFor } = names;

  const pool: Known[] = [];
  const remember = (k: Known) => {
    if (pool.length < POOL_SIZE) pool.push(k);
    else pool[int(POOL_SIZE)] = k;
  };

  /** A truncated line, an event without an indicator, or one with an invalid address; dead-lettered whole. */
  const badRecord = (confidence: number, seen: string) => {
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
    const line = JSON.stringify(event);
    return flavour === 0 ? line.slice(0, Math.floor(line.length * (0.2 + 0.7 * rand()))) : line;
  };

  /** Entities of an earlier event: half the same event again, a quarter its domain on a new address, a quarter its address with a new domain. */
  const remention = (): Known => {
    const earlier = pool[int(pool.length)]!;
    const mode = rand();
    if (mode < 0.5) return earlier; // The same event again, re-spelt.
    let known: Known;
    if (mode < 0.75) {
      // A known domain (and its owner) on a new address.
      const kind = rand() < 0.75 ? "ipv4" : "ipv6";
      const ip = kind === "ipv4" ? freshIpv4() : freshIpv6();
      known = { pattern: patternFor(kind, earlier.domain, ip), kind, domain: earlier.domain, ip, org: earlier.org };
    } else {
      // A known address with a new domain.
      const org = pickOrg();
      const domain = freshDomain(org);
      known = { pattern: patternFor("domain", domain, earlier.ip), kind: "domain", domain, ip: earlier.ip, org };
    }
    remember(known);
    return known;
  };

  /** New entities: 60 % domain indicators, 30 % IPv4, 10 % IPv6. */
  const fresh = (): Known => {
    const org = pickOrg();
    const kindRoll = rand();
    const kind = kindRoll < 0.6 ? "domain" : kindRoll < 0.9 ? "ipv4" : "ipv6";
    const domain = freshDomain(org);
    const ip = kind === "ipv6" || (kind === "domain" && rand() < 0.15) ? freshIpv6() : freshIpv4();
    const known = { pattern: patternFor(kind, domain, ip), kind, domain, ip, org };
    remember(known);
    return known;
  };

  const goodEvent = (roll: number, confidence: number, seen: string) => {
    let known: Known;
    let emit: { domain: string; ip: string; org: string };
    if (roll < badShare + duplicateShare && pool.length > 0) {
      known = remention();
      emit = {
        domain: respell.maybe(known.domain, respell.domainVariant),
        ip: respell.maybe(known.ip, respell.ipVariant),
        org: respell.maybe(orgs[known.org]!, respell.orgVariant),
      };
    } else {
      known = fresh();
      emit = { domain: known.domain, ip: known.ip, org: orgs[known.org]! };
    }
    counter.count(known.pattern, emit.domain, known.ip, emit.org);
    return JSON.stringify({
      indicator: known.pattern,
      kind: known.kind,
      domain: emit.domain,
      ip: emit.ip,
      org: emit.org,
      confidence,
      seen,
    });
  };

  let clock = START_MS;
  return () => {
    clock += 1000 * int(60);
    const confidence = Math.round(30 + 69 * rand()) / 100;
    const seen = new Date(clock).toISOString();
    const roll = rand();
    return roll < badShare ? { line: badRecord(confidence, seen), bad: true } : { line: goodEvent(roll, confidence, seen), bad: false };
  };
}
