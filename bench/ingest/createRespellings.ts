import type { Random } from "./createRandom.ts";
import { ipv6Groups } from "./ipv6.ts";

export interface Respellings {
  /** `value` re-spelt by `variant` (60 % of the time) or as it was. */
  maybe(value: string, variant: (v: string) => string): string;
  /** Upper case, capitalised labels, a trailing dot, or random case. */
  domainVariant(domain: string): string;
  /** IPv4 as IPv4-mapped IPv6; IPv6 in full, without "::", or upper case. */
  ipVariant(ip: string): string;
  /** Upper or lower case, doubled spaces, or padded. */
  orgVariant(name: string): string;
}

/** Re-spellings that normalise to the same key (so entity resolution must merge them). */
export function createRespellings({ rand, int }: Random): Respellings {
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
  return { maybe, domainVariant, ipVariant, orgVariant };
}
