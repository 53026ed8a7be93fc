/**
 * Entity-resolution normalisation: turns a raw source value into the form
 * stored on a node (`value`) and the form two records must share to be the
 * same entity (`key`), naming the rules that changed it so a merge decision
 * can be explained later. Rule names are stored in audit records, so never
 * rename or reuse one; only add new names:
 *
 *   text.nfkc            Unicode NFKC (fullwidth letters, ligatures, NBSP become plain forms)
 *   text.trim            leading/trailing whitespace removed
 *   text.whitespace      inner runs of whitespace collapsed to one space
 *   casefold             key lowercased
 *   email.mailto         leading "mailto:" removed
 *   email.lowercase      whole address lowercased
 *   domain.lowercase     host lowercased
 *   domain.from-url      scheme, user info, path, query and fragment of a URL removed
 *   domain.port          ":port" removed
 *   domain.trailing-dot  one trailing (root) dot removed
 *   domain.idna          internationalised labels converted to punycode (xn--…)
 *   ip.brackets          surrounding [ ] removed
 *   ip.ipv4-mapped       IPv4-mapped IPv6 (::ffff:a.b.c.d) replaced by the IPv4 address
 *   ip.rfc5952           IPv6 rewritten in RFC 5952 form (lowercase, zeros compressed)
 */
import ipaddr from "ipaddr.js";
import { domainToASCII } from "node:url";
import type { NormalizeKind } from "./mappingSpec.ts";

export interface Normalized {
  /** The value stored on the node (display form, canonical where the kind has one). */
  value: string;
  /** The value used for identity (entity resolution); equal inputs for the same real thing give the same key. */
  key: string;
  /** Stable names of the rules that changed the raw input, in order applied; [] when the raw value was already canonical. */
  rules: string[];
}

/** A value that cannot be normalised; the message names it so whoever fixes the source data can find it. */
export class NormalizeError extends Error {
  override readonly name = "NormalizeError";
  constructor(message: string) {
    super(message);
  }
}

type Rule =
  | "text.nfkc"
  | "text.trim"
  | "text.whitespace"
  | "casefold"
  | "email.mailto"
  | "email.lowercase"
  | "domain.lowercase"
  | "domain.from-url"
  | "domain.port"
  | "domain.trailing-dot"
  | "domain.idna"
  | "ip.brackets"
  | "ip.ipv4-mapped"
  | "ip.rfc5952";

interface Step {
  readonly value: string;
  readonly rules: readonly Rule[];
}

type Complaint = (reason: string) => NormalizeError;

export function normalize(kind: NormalizeKind, raw: string): Normalized {
  switch (kind) {
    case "none":
      if (raw === "") throw blank(kind, raw);
      return { value: raw, key: raw, rules: [] };
    case "text":
      return same(text(kind, raw));
    case "casefold":
      return casefold(raw);
    case "email":
      return same(email(raw));
    case "domain":
      return same(domain(raw));
    case "ip":
      return same(ip(raw));
  }
}

/** 4 or 6 for a value `normalize("ip", …)` produced; anything else throws rather than being classified by a guess. */
export function ipVersion(canonical: string): 4 | 6 {
  if (normalize("ip", canonical).value !== canonical) {
    throw new NormalizeError(`${show(canonical)} is not a canonical IP address; pass it through normalize("ip", …) first.`);
  }
  return canonical.includes(":") ? 6 : 4;
}

/** Applies `change` and records `rule` only when it changed something, so `rules` explains the difference from the raw input. */
function step(s: Step, rule: Rule, change: (value: string) => string): Step {
  const value = change(s.value);
  return value === s.value ? s : { value, rules: [...s.rules, rule] };
}

function same(s: Step): Normalized {
  return { value: s.value, key: s.value, rules: [...s.rules] };
}

/** Locale-independent, so a key never depends on the server's locale (Turkish dotless i). */
function lower(value: string): string {
  return value.toLocaleLowerCase("und");
}

/** JSON quoting makes invisible characters visible; long values are cut so one bad cell cannot flood a log line. */
function show(value: string): string {
  const chars = Array.from(value);
  return JSON.stringify(chars.length > 80 ? `${chars.slice(0, 80).join("")}…` : value);
}

function blank(kind: NormalizeKind, raw: string): NormalizeError {
  return new NormalizeError(
    `${show(raw)} is blank, so it cannot be normalised as ${kind}; check that the mapping reads the right source field.`,
  );
}

function text(kind: NormalizeKind, raw: string): Step {
  let s: Step = { value: raw, rules: [] };
  s = step(s, "text.nfkc", (v) => v.normalize("NFKC"));
  s = step(s, "text.trim", (v) => v.trim());
  s = step(s, "text.whitespace", (v) => v.replace(/\s+/g, " "));
  if (s.value === "") throw blank(kind, raw);
  return s;
}

/** The display form keeps its case; only the key is lowercased, so "ACME Corp" and "acme corp" merge but still read well. */
function casefold(raw: string): Normalized {
  const s = text("casefold", raw);
  const key = lower(s.value);
  return { value: s.value, key, rules: key === s.value ? [...s.rules] : [...s.rules, "casefold"] };
}

/** The whole address is lowercased: case-sensitive local parts exist in theory but not at any provider that matters. */
function email(raw: string): Step {
  const bad: Complaint = (reason) => new NormalizeError(`${show(raw)} is not an email address: ${reason}.`);
  let s = text("email", raw);
  s = step(s, "email.mailto", (v) => v.replace(/^mailto:/i, ""));
  s = step(s, "email.lowercase", lower);
  if (/\s/.test(s.value)) throw bad("it contains a space");
  const parts = s.value.split("@");
  if (parts.length !== 2) throw bad(parts.length === 1 ? "it has no @" : "it has more than one @");
  const [local = "", domainPart = ""] = parts;
  if (local === "") throw bad("nothing comes before the @");
  if (domainPart === "") throw bad("nothing comes after the @");
  const host = hostname({ value: domainPart, rules: s.rules }, (reason) => bad(`in its domain ${show(domainPart)}, ${reason}`));
  return { value: `${local}@${host.value}`, rules: host.rules };
}

const URL_PREFIX = /^[a-z][a-z0-9+.-]*:\/\//;

/** People paste links where a domain is expected; the host is the part that identifies the thing. */
function hostFromUrl(value: string): string {
  if (!URL_PREFIX.test(value)) return value;
  const authority = value.replace(URL_PREFIX, "").split(/[/?#]/, 1)[0] ?? "";
  return authority.slice(authority.lastIndexOf("@") + 1);
}

function domain(raw: string): Step {
  const bad: Complaint = (reason) => new NormalizeError(`${show(raw)} is not a domain: ${reason}.`);
  let s = text("domain", raw);
  s = step(s, "domain.lowercase", lower);
  s = step(s, "domain.from-url", hostFromUrl);
  s = step(s, "domain.port", (v) => v.replace(/(?<=.):\d{1,5}$/, ""));
  return hostname(s, bad);
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Shared by domains and the domain part of email addresses; expects lowercase input. */
function hostname(start: Step, bad: Complaint): Step {
  let s = step(start, "domain.trailing-dot", (v) => (v.endsWith(".") ? v.slice(0, -1) : v));
  if (s.value === "") throw bad("it has no host name");
  if (s.value.startsWith("*.")) throw bad("wildcards are not domains; give one concrete host name such as www.example.com");
  if (s.value.startsWith("[") || /(?:^|\.)\d+$/.test(s.value)) throw bad("it is an IP address, not a domain name");
  // Checked before IDNA because domainToASCII would percent-decode or pass through what no registry allows.
  const stray = /[^a-z0-9.\-\u0080-\u{10ffff}]/u.exec(s.value);
  if (stray) throw bad(`it contains ${show(stray[0])}, which a domain cannot contain (only letters, digits, hyphens and dots)`);
  s = step(s, "domain.idna", domainToASCII);
  if (s.value === "") throw bad("it is not a valid internationalised domain name (conversion to punycode failed)");
  if (s.value.length > 253) throw bad("it is longer than 253 characters");
  const labels = s.value.split(".");
  if (labels.length < 2) throw bad("a domain needs at least one dot, as in example.com");
  for (const label of labels) {
    if (label === "") throw bad("it has an empty label (two dots in a row, or a leading dot)");
    if (label.length > 63) throw bad(`the label ${show(label)} is longer than 63 characters`);
    if (!LABEL.test(label)) throw bad(`the label ${show(label)} must be letters, digits and hyphens, not starting or ending with a hyphen`);
  }
  return s;
}

const IP_EXPECTED = "expected an IPv4 address such as 192.0.2.1 or an IPv6 address such as 2001:db8::1, without a port";

function ip(raw: string): Step {
  const bad: Complaint = (reason) => new NormalizeError(`${show(raw)} is not an IP address: ${reason}.`);
  let s = text("ip", raw);
  s = step(s, "ip.brackets", (v) => (v.startsWith("[") && v.endsWith("]") ? v.slice(1, -1) : v));
  if (s.value.includes("%")) throw bad("it has a zone id (%…), which only means something on one host; remove it");
  if (s.value.includes("/")) throw bad("it is a network range (CIDR), not a single address");
  if (s.value.includes(":")) return ipv6(s, bad);
  if (ipaddr.IPv4.isValidFourPartDecimal(s.value)) return s;
  if (ipaddr.IPv4.isValid(s.value)) {
    throw bad(
      "octal, hexadecimal and short forms such as 010.1.1.1 or 1.2.3 are ambiguous; write four decimal numbers without leading zeros",
    );
  }
  throw bad(IP_EXPECTED);
}

function ipv6(s: Step, bad: Complaint): Step {
  if (!ipaddr.IPv6.isValid(s.value)) throw bad(IP_EXPECTED);
  const embedded = s.value.slice(s.value.lastIndexOf(":") + 1);
  if (embedded.includes(".") && !ipaddr.IPv4.isValidFourPartDecimal(embedded)) {
    throw bad(`its embedded IPv4 part ${show(embedded)} is ambiguous; write four decimal numbers without leading zeros`);
  }
  const address = ipaddr.IPv6.parse(s.value);
  if (address.isIPv4MappedAddress()) return step(s, "ip.ipv4-mapped", () => address.toIPv4Address().toString());
  return step(s, "ip.rfc5952", () => address.toRFC5952String());
}
