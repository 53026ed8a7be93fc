/** The suppression rule form: what it holds, the match it sends, its hints, and where the API's problems go. */
import type {
  CreateSuppressionRuleInput,
  SuppressionAllowList,
  SuppressionMatchInput,
  SuppressionRuleFieldsFragment,
} from "../api/generated/graphql.ts";

export const ALLOW_LISTS: ReadonlyArray<{ list: SuppressionAllowList; label: string; detail: string }> = [
  { list: "PRIVATE_RANGES", label: "Private ranges", detail: "RFC 1918, loopback, link-local, shared CGN, IPv6 unique-local" },
  { list: "DOCUMENTATION_RANGES", label: "Documentation ranges", detail: "RFC 5737, RFC 3849 and the example names (example.com, .test)" },
  { list: "TOP_DOMAINS", label: "Top domains", detail: "popular legitimate domains and their subdomains" },
  { list: "CDN_RANGES", label: "CDN ranges", detail: "Cloudflare's and Fastly's published address ranges" },
];

/** Observable types of STIX patterns offered as checkboxes (a stored rule's other types are kept and shown too). */
export const KNOWN_TYPES = ["ipv4-addr", "ipv6-addr", "domain-name", "url", "file", "email-addr"] as const;

export interface RuleForm {
  name: string;
  enabled: boolean;
  types: string[];
  /** Comma-separated, as typed. */
  sources: string;
  /** As typed; empty for none. */
  scoreBelow: string;
  patternRegex: string;
  allowLists: SuppressionAllowList[];
}

export interface FieldProblem {
  /** A form field (name, types, sources, scoreBelow, patternRegex, allowLists) or "match" for the rule as a whole. */
  path: string;
  message: string;
}

export const emptyRuleForm = (): RuleForm => ({
  name: "",
  enabled: false,
  types: [],
  sources: "",
  scoreBelow: "",
  patternRegex: "",
  allowLists: [],
});

export function ruleFormOf(rule: SuppressionRuleFieldsFragment): RuleForm {
  return {
    name: rule.name,
    enabled: rule.enabled,
    types: [...(rule.match.types ?? [])],
    sources: (rule.match.sources ?? []).join(", "),
    scoreBelow: rule.match.scoreBelow == null ? "" : String(rule.match.scoreBelow),
    patternRegex: rule.match.patternRegex ?? "",
    allowLists: [...(rule.match.allowLists ?? [])],
  };
}

/** The types the form offers: the known ones, then any others the rule holds. */
export const typeOptions = (form: RuleForm): string[] => [
  ...KNOWN_TYPES,
  ...form.types.filter((t) => !(KNOWN_TYPES as readonly string[]).includes(t)),
];

/** The match to send (dry run or save), or the problems that keep it from being sent (the API's checks remain the authority). */
export function matchInput(form: RuleForm): { match?: SuppressionMatchInput; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const sources = [...new Set(form.sources.split(",").map((s) => s.trim()))].filter(Boolean);
  let scoreBelow: number | null = null;
  if (form.scoreBelow.trim()) {
    const n = Number(form.scoreBelow);
    if (!Number.isInteger(n) || n < 1 || n > 101) problems.push({ path: "scoreBelow", message: "A whole number from 1 to 101." });
    else scoreBelow = n;
  }
  const patternRegex = form.patternRegex.trim();
  if (patternRegex.length > 200) problems.push({ path: "patternRegex", message: "At most 200 characters." });
  const match: SuppressionMatchInput = {
    types: form.types.length ? form.types : null,
    sources: sources.length ? sources : null,
    scoreBelow,
    patternRegex: patternRegex || null,
    allowLists: form.allowLists.length ? form.allowLists : null,
  };
  if (!match.types && !match.sources && !form.scoreBelow.trim() && !match.patternRegex && !match.allowLists)
    problems.push({ path: "match", message: "Give at least one condition: an empty rule would hide every indicator." });
  return problems.length ? { problems } : { match, problems };
}

/** The create input (the update sends the same name, enabled and match). */
export function ruleInput(form: RuleForm): { input?: CreateSuppressionRuleInput; problems: FieldProblem[] } {
  const built = matchInput(form);
  const problems = [...built.problems];
  if (!form.name.trim()) problems.unshift({ path: "name", message: "Give the rule a name." });
  if (problems.length || !built.match) return { problems };
  return { input: { name: form.name.trim(), enabled: form.enabled, match: built.match }, problems };
}

/**
 * The API's BAD_USER_INPUT problems on the form's fields: `match.patternRegex`
 * (create, update) and `patternRegex` (a dry run's input) are both the
 * pattern field; a problem on the match itself or with no path is "match".
 */
export function formProblems(problems: ReadonlyArray<{ path: string; message: string }>): FieldProblem[] {
  return problems.map((p) => {
    const path = p.path.replace(/^input\./, "").replace(/^match\.?/, "");
    const field = path.split(".")[0] ?? "";
    return { path: field === "" || field === "input" ? (p.path.startsWith("name") ? "name" : "match") : field, message: p.message };
  });
}

/** "types ipv4-addr; PRIVATE_RANGES; score below 30": a rule's conditions in one line. */
export function describeMatch(match: SuppressionRuleFieldsFragment["match"]): string {
  const parts: string[] = [];
  if (match.types?.length) parts.push(`types ${match.types.join(", ")}`);
  if (match.sources?.length) parts.push(`sources ${match.sources.join(", ")}`);
  if (match.scoreBelow != null) parts.push(`score below ${match.scoreBelow}`);
  if (match.patternRegex) parts.push(`pattern /${match.patternRegex}/i`);
  if (match.allowLists?.length) parts.push(`on ${match.allowLists.join(", ")}`);
  return parts.join("; ") || "—";
}
