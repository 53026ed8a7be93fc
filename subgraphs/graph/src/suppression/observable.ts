/**
 * The observable an indicator is about, read from its STIX pattern: the
 * object type (`ipv4-addr`, `domain-name`, `url`, `file`…) and the compared
 * value of its first comparison, e.g. `[ipv4-addr:value = '10.0.0.1']` →
 * `{ type: "ipv4-addr", value: "10.0.0.1" }`. For a URL the host is kept too,
 * so a URL on a top domain matches TOP_DOMAINS. A pattern we cannot read
 * gives `null` (only the type, source, score and regex conditions apply).
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

export function observableOf(pattern: string | null | undefined): Observable | null {
  if (!pattern || pattern.length > MAX_PATTERN) return null;
  const match = COMPARISON.exec(pattern);
  if (!match) return null;
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
