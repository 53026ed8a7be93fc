/**
 * The observable an indicator is about, read from its STIX pattern: the
 * object type (`ipv4-addr`, `domain-name`, `url`, `file`…) and the compared
 * value of its first comparison, e.g. `[ipv4-addr:value = '10.0.0.1']` →
 * `{ type: "ipv4-addr", value: "10.0.0.1" }`. For a URL the host is kept too,
 * so a URL on a top domain matches TOP_DOMAINS. An indicator from a CSV or
 * NDJSON mapping whose pattern is the bare value (`10.0.0.1`) is read by its
 * `kind` (`ipv4`, `domain`, `url`, `sha256`…, see KIND_TYPES). A pattern we
 * cannot read gives `null` (only the type, source, score and regex
 * conditions apply).
 */
export interface Observable {
  type: string;
  value: string;
  /** The host name or address the value lives on (domains, URLs, e-mail addresses). */
  host: string | null;
}

/** `[type:path op 'value']`; the first comparison of the pattern (STIX escapes `'` and `\` with `\`). */
const COMPARISON = /\[\s*([a-z0-9-]+):([a-z0-9_.'[\]-]+)\s*(?:=|LIKE|MATCHES|ISSUBSET|ISSUPERSET)\s*'((?:[^'\\]|\\.)*)'/i;

/** Longest pattern read; a STIX pattern over it is not parsed (the indicator is still matched by the other conditions). */
const MAX_PATTERN = 4096;

/** Ingest kinds of bare-value indicators → the STIX object type their value is. */
const KIND_TYPES: Record<string, string> = {
  ip: "ipv4-addr",
  ipv4: "ipv4-addr",
  "ipv4-addr": "ipv4-addr",
  ipv6: "ipv6-addr",
  "ipv6-addr": "ipv6-addr",
  domain: "domain-name",
  "domain-name": "domain-name",
  hostname: "domain-name",
  fqdn: "domain-name",
  url: "url",
  uri: "url",
  email: "email-addr",
  "email-addr": "email-addr",
  md5: "file",
  sha1: "file",
  sha256: "file",
  hash: "file",
  file: "file",
};

export function observableOf(pattern: string | null | undefined, kind?: string | null): Observable | null {
  if (!pattern || pattern.length > MAX_PATTERN) return null;
  const match = COMPARISON.exec(pattern);
  if (!match) {
    const type = kind ? KIND_TYPES[kind.toLowerCase()] : undefined;
    if (!type || pattern.trimStart().startsWith("[")) return null;
    const value = pattern.trim();
    return { type, value, host: hostOf(type, value) };
  }
  const type = match[1]!.toLowerCase();
  const value = match[3]!.replace(/\\(.)/g, "$1");
  return { type, value, host: hostOf(type, value) };
}

function hostOf(type: string, value: string): string | null {
  switch (type) {
    case "domain-name":
      return value.toLowerCase().replace(/\.$/, "");
    case "ipv4-addr":
    case "ipv6-addr":
      return value.replace(/\/(32|128)$/, "");
    case "url":
      try {
        return new URL(value).hostname.toLowerCase().replace(/^\[|\]$/g, "");
      } catch {
        return null;
      }
    case "email-addr":
      return value.includes("@") ? value.slice(value.lastIndexOf("@") + 1).toLowerCase() : null;
    default:
      return null;
  }
}
