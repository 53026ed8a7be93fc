import { casefold, domainKey } from "./normalise.ts";
import { PairSet } from "./pairSet.ts";

export interface Outcome {
  entities: { Indicator: number; Domain: number; IPAddress: number; Organization: number };
  relationships: { INDICATES: number; RESOLVES_TO: number; OWNS: number };
}

export interface OutcomeCounter {
  /** Counts one good event from the spellings it was written with (the address in its canonical form). */
  count(pattern: string, domain: string, canonicalIp: string, org: string): void;
  /** Distinct entities and relationships counted so far. */
  outcome(): Outcome;
}

/** Exact distinct counts, as entity resolution must reach them: entity keys get small ids; relationships are pairs of ids. */
export function createOutcomeCounter(orgs: readonly string[]): OutcomeCounter {
  const ids = { Indicator: new Map<string, number>(), Domain: new Map<string, number>(), IPAddress: new Map<string, number>() };
  const orgsSeen = new Set<number>();
  const idOf = (map: Map<string, number>, key: string) => {
    let id = map.get(key);
    if (id === undefined) map.set(key, (id = map.size));
    return id;
  };
  const rels = { indicatesDomain: new PairSet(), indicatesIp: new PairSet(), resolvesTo: new PairSet(), owns: new PairSet() };
  const orgIds = new Map(orgs.map((name, i) => [casefold(name), i]));

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

  const outcome = (): Outcome => ({
    entities: { Indicator: ids.Indicator.size, Domain: ids.Domain.size, IPAddress: ids.IPAddress.size, Organization: orgsSeen.size },
    relationships: {
      INDICATES: rels.indicatesDomain.size + rels.indicatesIp.size,
      RESOLVES_TO: rels.resolvesTo.size,
      OWNS: rels.owns.size,
    },
  });

  return { count, outcome };
}
