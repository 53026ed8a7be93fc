/** The ingest's key normalisation, as the generator counts with it. */

/** Indicator pattern and Organization name: trimmed, whitespace collapsed, case-folded. */
export const casefold = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

/** Domain name: lowercased, without a trailing dot. */
export const domainKey = (s: string) => s.toLowerCase().replace(/\.$/, "");
