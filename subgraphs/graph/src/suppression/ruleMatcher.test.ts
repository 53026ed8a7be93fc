import { describe, expect, it } from "vitest";
import { allowListOf, allowListSizes } from "./allowLists.ts";
import { observableOf } from "./observable.ts";
import { compileMatcher, type IndicatorFacts } from "./ruleMatcher.ts";
import { regexProblem } from "./safeRegex.ts";

const ipv4 = (v: string) => `[ipv4-addr:value = '${v}']`;
const domain = (v: string) => `[domain-name:value = '${v}']`;
const indicator = (pattern: string, more: Partial<IndicatorFacts> = {}): IndicatorFacts => ({
  id: "i1",
  pattern,
  kind: "stix",
  source: "feed-a",
  sources: ["feed-a"],
  score: null,
  ...more,
});
const lists = (pattern: string) =>
  allowListOf(observableOf(pattern), ["PRIVATE_RANGES", "DOCUMENTATION_RANGES", "TOP_DOMAINS", "CDN_RANGES"]);

describe("observables from STIX patterns", () => {
  it("reads the type, value and host of the first comparison", () => {
    expect(observableOf(ipv4("10.0.0.1"))).toEqual({ type: "ipv4-addr", value: "10.0.0.1", host: "10.0.0.1" });
    expect(observableOf("[url:value = 'https://cdn.Google.com/x?a=1']")).toEqual({
      type: "url",
      value: "https://cdn.Google.com/x?a=1",
      host: "cdn.google.com",
    });
    expect(observableOf("[file:hashes.'SHA-256' = 'abc']")).toEqual({ type: "file", value: "abc", host: null });
    expect(observableOf("not a pattern")).toBeNull();
  });

  it("reads a bare value (CSV, NDJSON mappings) by its ingest kind", () => {
    expect(observableOf("10.0.0.1", "ipv4")).toEqual({ type: "ipv4-addr", value: "10.0.0.1", host: "10.0.0.1" });
    expect(observableOf("Mail.Google.com", "domain")).toEqual({ type: "domain-name", value: "Mail.Google.com", host: "mail.google.com" });
    expect(observableOf("d41d8cd98f00b204e9800998ecf8427e", "md5")).toEqual({
      type: "file",
      value: "d41d8cd98f00b204e9800998ecf8427e",
      host: null,
    });
    expect(observableOf("10.0.0.1", "sigma")).toBeNull();
    const match = compileMatcher({ types: ["ipv4-addr"], allowLists: ["PRIVATE_RANGES"] });
    expect(match(indicator("192.168.4.4", { kind: "ipv4" }))).toBe("type ipv4-addr; 192.168.4.4 on PRIVATE_RANGES");
  });
});

describe("built-in allow-lists", () => {
  it("ship entries in every list", () => {
    const sizes = allowListSizes();
    expect(sizes.TOP_DOMAINS).toBeGreaterThan(300);
    expect(sizes.CDN_RANGES).toBeGreaterThan(30);
    expect(sizes.PRIVATE_RANGES).toBe(10);
    expect(sizes.DOCUMENTATION_RANGES).toBe(11);
  });

  it("match private, documentation, top-domain (and subdomain) and CDN observables", () => {
    expect(lists(ipv4("10.1.2.3"))).toBe("PRIVATE_RANGES");
    expect(lists(ipv4("172.31.255.1"))).toBe("PRIVATE_RANGES");
    expect(lists(ipv4("192.168.0.7"))).toBe("PRIVATE_RANGES");
    expect(lists("[ipv6-addr:value = 'fe80::1']")).toBe("PRIVATE_RANGES");
    expect(lists(ipv4("192.0.2.55"))).toBe("DOCUMENTATION_RANGES");
    expect(lists(ipv4("203.0.113.9"))).toBe("DOCUMENTATION_RANGES");
    expect(lists("[ipv6-addr:value = '2001:db8::5']")).toBe("DOCUMENTATION_RANGES");
    expect(lists(domain("www.example.com"))).toBe("DOCUMENTATION_RANGES");
    expect(lists(domain("google.com"))).toBe("TOP_DOMAINS");
    expect(lists(domain("mail.google.com"))).toBe("TOP_DOMAINS");
    expect(lists("[url:value = 'https://raw.githubusercontent.com/a/b']")).toBe("TOP_DOMAINS");
    expect(lists(ipv4("104.16.1.1"))).toBe("CDN_RANGES");
    expect(lists(ipv4("151.101.65.69"))).toBe("CDN_RANGES");
    expect(lists("[ipv6-addr:value = '2606:4700::6810:84e5']")).toBe("CDN_RANGES");
  });

  it("leave public addresses and other names alone", () => {
    expect(lists(ipv4("8.8.8.8"))).toBeNull();
    expect(lists(ipv4("172.32.0.1"))).toBeNull();
    expect(lists(ipv4("192.0.3.1"))).toBeNull();
    expect(lists(domain("google.com.evil.xyz"))).toBeNull();
    expect(lists(domain("notgoogle.com"))).toBeNull();
    expect(lists("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']")).toBeNull();
  });
});

describe("rule matching", () => {
  it("needs every given condition, and says which matched", () => {
    const match = compileMatcher({ types: ["ipv4-addr"], sources: ["junk"], allowLists: ["PRIVATE_RANGES"] });
    expect(match(indicator(ipv4("10.0.0.1"), { source: "junk", sources: ["junk"] }))).toBe(
      "type ipv4-addr; source junk; 10.0.0.1 on PRIVATE_RANGES",
    );
    expect(match(indicator(ipv4("10.0.0.1")))).toBeNull(); // source feed-a
    expect(match(indicator(domain("10.example"), { source: "junk" }))).toBeNull(); // type
    expect(match(indicator(ipv4("8.8.8.8"), { source: "junk" }))).toBeNull(); // not on the list
  });

  it("matches a source among the indicator's sources", () => {
    const match = compileMatcher({ sources: ["junk"] });
    expect(match(indicator(ipv4("8.8.8.8"), { source: "feed-a", sources: ["feed-a", "junk"] }))).toBe("source junk");
  });

  it("scoreBelow matches lower scores only, never an unscored indicator", () => {
    const match = compileMatcher({ scoreBelow: 30 });
    expect(match(indicator(ipv4("8.8.8.8"), { score: 29 }))).toBe("score 29 < 30");
    expect(match(indicator(ipv4("8.8.8.8"), { score: 30 }))).toBeNull();
    expect(match(indicator(ipv4("8.8.8.8"), { score: null }))).toBeNull();
    expect(match(indicator(ipv4("8.8.8.8"), { score: 0 }))).toBe("score 0 < 30");
  });

  it("matches the pattern expression case-insensitively", () => {
    const match = compileMatcher({ patternRegex: "\\.LOCAL'" });
    expect(match(indicator(domain("printer.local")))).toBe("pattern matches /\\.LOCAL'/i");
    expect(match(indicator(domain("printer.example")))).toBeNull();
  });

  it("matches the pattern type (kind) as a type too", () => {
    expect(compileMatcher({ types: ["sigma"] })(indicator("title: x", { kind: "sigma" }))).toBe("type sigma");
  });
});

describe("pattern expressions", () => {
  it("accept plain expressions", () => {
    expect(regexProblem("^\\[domain-name:value = '.*\\.tk'\\]$")).toBeNull();
    expect(regexProblem("(?:ab)?c+")).toBeNull();
  });

  it("refuse what could backtrack exponentially, and bad or long ones", () => {
    expect(regexProblem("(a+)+$")).toMatch(/repeats or alternates/);
    expect(regexProblem("(\\w*x)*")).toMatch(/repeats or alternates/);
    expect(regexProblem("(a|aa)+")).toMatch(/repeats or alternates/);
    expect(regexProblem("(a)\\1")).toMatch(/backreferences/);
    expect(regexProblem("a(?=b)")).toMatch(/look-ahead/);
    expect(regexProblem("a[")).toMatch(/not a valid regular expression/);
    expect(regexProblem("a".repeat(201))).toMatch(/at most 200 characters/);
    expect(regexProblem("")).toMatch(/empty/);
  });
});
