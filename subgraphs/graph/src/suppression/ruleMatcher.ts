/**
 * One matcher for suppression rules, used alike by the dry run and by
 * applying (so a dry run shows exactly what enabling the rule hides).
 *
 * A rule matches an indicator when EVERY condition it gives holds (an absent
 * condition is no constraint; a rule must give at least one):
 * - `types`: the pattern's observable type (`ipv4-addr`, `domain-name`, `url`,
 *   `file`…) or the indicator's pattern type (`kind`: `stix`, `sigma`…) is one of them;
 * - `sources`: the indicator's `source`, or one of its `sources`, is one of them;
 * - `scoreBelow`: it has a score and the score is below the number (unscored never matches);
 * - `patternRegex`: the pattern matches the expression (case-insensitive; see safeRegex.ts);
 * - `allowLists`: the observable's value (a URL's or e-mail's host) is on one of the lists
 *   (the observable: the STIX pattern's first comparison, or a bare value read by its kind).
 */
import { allowListOf, type AllowList } from "./allowLists.ts";
import { observableOf } from "./observable.ts";
import { compileSafeRegex } from "./safeRegex.ts";

export interface RuleMatch {
  types?: string[] | null;
  sources?: string[] | null;
  scoreBelow?: number | null;
  patternRegex?: string | null;
  allowLists?: AllowList[] | null;
}

/** What the matcher reads of an Indicator node. */
export interface IndicatorFacts {
  id: string;
  pattern: string | null;
  kind: string | null;
  source: string | null;
  sources: string[] | null;
  score: number | null;
}

/** Why the indicator matched (e.g. `type ipv4-addr; on CDN_RANGES`), or null when it does not. */
export type Matcher = (indicator: IndicatorFacts) => string | null;

const given = <T>(list: readonly T[] | null | undefined): list is readonly T[] => Array.isArray(list) && list.length > 0;

/** True when the match names no condition at all (such a rule would hide everything, so it is refused). */
export const isEmptyMatch = (match: RuleMatch) =>
  !given(match.types) &&
  !given(match.sources) &&
  match.scoreBelow == null &&
  (match.patternRegex == null || match.patternRegex === "") &&
  !given(match.allowLists);

export function compileMatcher(match: RuleMatch): Matcher {
  const types = given(match.types) ? new Set(match.types.map((t) => t.toLowerCase())) : null;
  const sources = given(match.sources) ? new Set(match.sources) : null;
  const regex = match.patternRegex ? compileSafeRegex(match.patternRegex) : null;
  const lists = given(match.allowLists) ? match.allowLists : null;
  const { scoreBelow } = match;
  return (indicator) => {
    const why: string[] = [];
    const observable = types || lists ? observableOf(indicator.pattern, indicator.kind) : null;
    if (types) {
      const hit = [observable?.type, indicator.kind?.toLowerCase()].find((t) => t != null && types.has(t));
      if (!hit) return null;
      why.push(`type ${hit}`);
    }
    if (sources) {
      const hit = [indicator.source, ...(indicator.sources ?? [])].find((s) => s != null && sources.has(s));
      if (!hit) return null;
      why.push(`source ${hit}`);
    }
    if (scoreBelow != null) {
      if (indicator.score == null || !(indicator.score < scoreBelow)) return null;
      why.push(`score ${indicator.score} < ${scoreBelow}`);
    }
    if (regex) {
      if (!indicator.pattern || !regex.test(indicator.pattern)) return null;
      why.push(`pattern matches /${match.patternRegex}/i`);
    }
    if (lists) {
      const list = allowListOf(observable, lists);
      if (!list) return null;
      why.push(`${observable!.host} on ${list}`);
    }
    return why.join("; ");
  };
}
