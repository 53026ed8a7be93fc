/**
 * The labelled feed of the suppression bench: STIX indicator patterns, each
 * with its label (noise or true positive), its category and the sources that
 * report it, from a seeded generator (the same SEED gives the same feed).
 *
 * By construction (fractions of TOTAL; see bench/README.md):
 * - noise (half): private addresses (RFC 1918, loopback, link-local), documentation
 *   addresses (RFC 5737), top domains and their subdomains, CDN edge addresses
 *   (Cloudflare, Fastly), junk that only a low-reliability scraper reports, and
 *   benign domains on no list (false positives no rule can know: they stay);
 * - true positives (half): random public addresses outside every list, DGA-like
 *   domains, URLs on them, SHA-256 hashes — 15 % also reported by the scraper —
 *   plus the hard cases the default rules lose by design: malicious pages on a
 *   top domain's subdomain, malicious hosts on CDN addresses, and true positives
 *   only the scraper reports.
 */

export type Label = "noise" | "truePositive";

export interface FeedIndicator {
  pattern: string;
  label: Label;
  category: string;
  sources: string[];
}

export const SOURCES = { vendorA: "vendor-a", vendorB: "vendor-b", junk: "paste-scraper" } as const;

/** Mulberry32: small, seeded, good enough for test data. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** First octets whose /8 holds no private, documentation or CDN range of the built-in lists. */
const PUBLIC_OCTETS = [5, 31, 37, 45, 46, 77, 78, 79, 80, 82, 83, 89, 91, 93, 94, 95, 176, 178, 193, 194, 195, 212, 213, 217];
/** Subdomain-friendly entries of data/top-domains.txt, and /16s inside the CDN ranges of data/cdn-ranges.txt. */
const TOP = ["google.com", "microsoft.com", "github.com", "amazonaws.com", "apple.com", "cloudfront.net", "akamaihd.net", "office.com"];
const HOSTING = ["blogspot.com", "github.io", "herokuapp.com", "netlify.app", "vercel.app"];
const CDN_PREFIXES = ["104.16", "104.17", "104.18", "104.21", "172.64", "172.67", "162.158", "151.101", "199.232"];
const WORDS = ["river", "bakery", "garden", "studio", "harbor", "maple", "summit", "cedar", "meadow", "atlas", "pixel", "orbit"];
const TLDS = [".com", ".net", ".xyz", ".top", ".info", ".biz", ".ru", ".cc"];

export function generateFeed(total: number, seed: number): FeedIndicator[] {
  const rnd = random(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)]!;
  const octet = () => 1 + int(254);
  const label = (s: string) => Array.from({ length: s.length }, () => "abcdefghijklmnopqrstuvwxyz0123456789"[int(36)]).join("");
  const dga = () => `${label("x".repeat(10 + int(7)))}${pick(TLDS)}`;
  const publicIp = () => `${pick(PUBLIC_OCTETS)}.${int(256)}.${int(256)}.${octet()}`;
  const ipv4 = (v: string) => `[ipv4-addr:value = '${v}']`;
  const domain = (v: string) => `[domain-name:value = '${v}']`;
  const url = (v: string) => `[url:value = '${v}']`;
  const hash = () => `[file:hashes.'SHA-256' = '${Array.from({ length: 64 }, () => "0123456789abcdef"[int(16)]).join("")}']`;
  const vendor = () => [rnd() < 0.5 ? SOURCES.vendorA : SOURCES.vendorB];
  const anySource = () => (rnd() < 0.3 ? [SOURCES.junk] : vendor());

  const noise = total / 2;
  const truth = total - noise;
  const plan: Array<[Label, string, number, () => string, () => string[]]> = [
    [
      "noise",
      "private",
      0.2 * noise,
      () =>
        ipv4(
          pick([
            `10.${int(256)}.${int(256)}.${octet()}`,
            `192.168.${int(256)}.${octet()}`,
            `172.${16 + int(16)}.${int(256)}.${octet()}`,
            `127.0.0.${octet()}`,
            `169.254.${int(256)}.${octet()}`,
          ]),
        ),
      anySource,
    ],
    [
      "noise",
      "documentation",
      0.1 * noise,
      () =>
        rnd() < 0.5
          ? ipv4(`${pick(["192.0.2", "198.51.100", "203.0.113"])}.${octet()}`)
          : domain(`${label("x".repeat(3 + int(8)))}.${pick(["example.com", "example.org", "test"])}`),
      anySource,
    ],
    [
      "noise",
      "top-domain",
      0.25 * noise,
      () => domain(rnd() < 0.2 ? pick(TOP) : `${label("x".repeat(3 + int(8)))}.${pick(TOP)}`),
      anySource,
    ],
    ["noise", "cdn", 0.15 * noise, () => ipv4(`${pick(CDN_PREFIXES)}.${int(256)}.${octet()}`), anySource],
    ["noise", "scraper-junk", 0.2 * noise, () => (rnd() < 0.5 ? ipv4(publicIp()) : domain(dga())), () => [SOURCES.junk]],
    ["noise", "benign-unlisted", 0.1 * noise, () => domain(`${pick(WORDS)}-${pick(WORDS)}-${int(10_000)}.com`), () => [SOURCES.vendorB]],
    ["truePositive", "public-ip", 0.35 * truth, () => ipv4(publicIp()), corroborated],
    ["truePositive", "dga-domain", 0.35 * truth, () => domain(dga()), corroborated],
    ["truePositive", "url", 0.093 * truth, () => url(`http://${dga()}/${label("xxxxxx")}.php`), corroborated],
    ["truePositive", "file-hash", 0.2 * truth, hash, corroborated],
    ["truePositive", "top-domain-hosted", 0.002 * truth, () => url(`https://${label("x".repeat(8))}.${pick(HOSTING)}/login.html`), vendor],
    ["truePositive", "cdn-hosted", 0.002 * truth, () => ipv4(`${pick(CDN_PREFIXES)}.${int(256)}.${octet()}`), vendor],
    ["truePositive", "scraper-only", 0.003 * truth, () => (rnd() < 0.5 ? ipv4(publicIp()) : domain(dga())), () => [SOURCES.junk]],
  ];
  function corroborated() {
    return rnd() < 0.15 ? [...vendor(), SOURCES.junk] : vendor();
  }

  const seen = new Set<string>();
  const feed: FeedIndicator[] = [];
  for (const [kind, category, count, make, sources] of plan) {
    for (let made = 0, tries = 0; made < Math.round(count); tries++) {
      if (tries > 100 * count) throw new Error(`the ${category} generator repeats itself: raise its variety or lower TOTAL`);
      const pattern = make();
      if (seen.has(pattern)) continue;
      seen.add(pattern);
      feed.push({ pattern, label: kind, category, sources: sources() });
      made++;
    }
  }
  return feed;
}
