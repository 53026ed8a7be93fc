import type { Random } from "./createRandom.ts";
import { BASES, HOST_WORDS, ORG_SUFFIXES, ORG_WORDS_1, ORG_WORDS_2, ORG_WORDS_3 } from "./eventVocabulary.ts";
import { ipv6Text } from "./ipv6.ts";
import { casefold } from "./normalise.ts";

const ORG_COUNT = 3000;

export interface EntityNames {
  /** The organisations, distinct after case-folding; events refer to them by index. */
  orgs: readonly string[];
  /** An organisation's index, skewed so a few own many domains. */
  pickOrg(): number;
  /** A domain never named before, under the organisation's own name or a shared reserved one. */
  freshDomain(org: number): string;
  /** An address in 198.18.0.0/15 (RFC 2544): with many events, shared by several domains. */
  freshIpv4(): string;
  /** An address in 2001:db8::/32, in RFC 5952 text. */
  freshIpv6(): string;
  /** The indicator's pattern: the domain (kind "domain") or the address ("ipv4", "ipv6"). */
  patternFor(kind: string, domain: string, ip: string): string;
}

/** New names for entities, drawn from `random` (the organisations at once, the rest on demand). */
export function createEntityNames({ rand, int, pick }: Random): EntityNames {
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

  return { orgs, pickOrg, freshDomain, freshIpv4, freshIpv6, patternFor };
}
