/**
 * The built-in allow-lists a suppression rule can name, loaded from the data
 * files beside this one (data/*.txt, each with its provenance at the top):
 *
 * - PRIVATE_RANGES: RFC 1918, loopback, link-local, shared CGN (RFC 6598),
 *   IPv6 loopback, link-local and unique-local.
 * - DOCUMENTATION_RANGES: RFC 5737 (192.0.2/24, 198.51.100/24, 203.0.113/24),
 *   RFC 3849 (2001:db8::/32) and the reserved example names of RFC 2606 / 6761
 *   (example.com, .test, .invalid, localhost…, with their subdomains).
 * - TOP_DOMAINS: popular legitimate services (data/top-domains.txt); a
 *   subdomain of a listed domain matches.
 * - CDN_RANGES: Cloudflare's and Fastly's published ranges.
 *
 * An address matches by CIDR (ipaddr.js; an IPv4-mapped IPv6 address is read
 * as its IPv4 address); a name matches itself or any subdomain of a listed name.
 */
import { readFileSync } from "node:fs";
import ipaddr from "ipaddr.js";
import type { Observable } from "./observable.ts";

export const ALLOW_LISTS = ["PRIVATE_RANGES", "DOCUMENTATION_RANGES", "TOP_DOMAINS", "CDN_RANGES"] as const;
export type AllowList = (typeof ALLOW_LISTS)[number];

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

interface ListData {
  cidrs: Cidr[];
  domains: Set<string>;
}

/** Data lines of a list file: comments and blank lines dropped, split on spaces. */
function lines(file: string): string[][] {
  const text = readFileSync(new URL(`./data/${file}`, import.meta.url), "utf8");
  return text
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line !== "")
    .map((line) => line.split(/\s+/));
}

function loadLists(): Record<AllowList, ListData> {
  const empty = (): ListData => ({ cidrs: [], domains: new Set() });
  const lists: Record<AllowList, ListData> = {
    PRIVATE_RANGES: empty(),
    DOCUMENTATION_RANGES: empty(),
    TOP_DOMAINS: empty(),
    CDN_RANGES: empty(),
  };
  for (const [list, value] of lines("reserved-ranges.txt")) {
    if (list === "private") lists.PRIVATE_RANGES.cidrs.push(ipaddr.parseCIDR(value!));
    else if (list === "documentation") lists.DOCUMENTATION_RANGES.cidrs.push(ipaddr.parseCIDR(value!));
    else if (list === "documentation-domain") lists.DOCUMENTATION_RANGES.domains.add(value!.toLowerCase());
    else throw new Error(`reserved-ranges.txt: unknown list "${list}"`);
  }
  for (const [, cidr] of lines("cdn-ranges.txt")) lists.CDN_RANGES.cidrs.push(ipaddr.parseCIDR(cidr!));
  for (const [domain] of lines("top-domains.txt")) lists.TOP_DOMAINS.domains.add(domain!.toLowerCase());
  return lists;
}

const LISTS = loadLists();

/** How many entries each list holds (docs, tests). */
export const allowListSizes = (): Record<AllowList, number> =>
  Object.fromEntries(ALLOW_LISTS.map((name) => [name, LISTS[name].cidrs.length + LISTS[name].domains.size])) as Record<AllowList, number>;

/** The address, IPv4-mapped IPv6 read as IPv4; null when `host` is no address. */
function addressOf(host: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(host)) return null;
  try {
    return ipaddr.process(host);
  } catch {
    return null;
  }
}

/** The name and each parent: `a.b.google.com` → a.b.google.com, b.google.com, google.com, com. */
function* suffixes(name: string): Generator<string> {
  let rest = name;
  for (;;) {
    yield rest;
    const dot = rest.indexOf(".");
    if (dot < 0) return;
    rest = rest.slice(dot + 1);
  }
}

/** The first of `lists` the observable's host is on, or null. */
export function allowListOf(observable: Observable | null, lists: readonly AllowList[]): AllowList | null {
  const host = observable?.host;
  if (!host) return null;
  const address = addressOf(host);
  for (const name of lists) {
    const list = LISTS[name];
    if (address) {
      if (list.cidrs.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits))) return name;
    } else if (list.domains.size > 0) {
      for (const suffix of suffixes(host)) if (list.domains.has(suffix)) return name;
    }
  }
  return null;
}
