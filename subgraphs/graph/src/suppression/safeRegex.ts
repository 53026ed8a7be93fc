/**
 * Pattern expressions of suppression rules, checked before they are stored.
 * No RE2 is installed, so JavaScript's backtracking engine runs them; the
 * check keeps them to a shape that cannot backtrack catastrophically:
 * at most MAX_REGEX_LENGTH characters, no backreferences or look-arounds, and
 * no repeated group that itself repeats or alternates (`(a+)+`, `(\w*x)*`, `(a|aa)+`).
 * The text tested is an indicator's pattern (at most 4,096 characters).
 */
export const MAX_REGEX_LENGTH = 200;

/** Why the expression is refused, or null when it is acceptable. */
export function regexProblem(source: string): string | null {
  if (source.length === 0) return "must not be empty";
  if (source.length > MAX_REGEX_LENGTH) return `must be at most ${MAX_REGEX_LENGTH} characters (it has ${source.length})`;
  if (/\\[1-9]|\\k</.test(source)) return "must not use backreferences";
  if (/\(\?<?[=!]/.test(source)) return "must not use look-ahead or look-behind";
  if (nestedQuantifier(source))
    return "must not repeat a group that itself repeats or alternates (e.g. (a+)+ or (a|ab)+): it could take exponential time";
  try {
    new RegExp(source, "i");
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`;
  }
  return null;
}

/** True when a group containing a quantifier or an alternation is itself repeated. */
function nestedQuantifier(source: string): boolean {
  const stack: boolean[] = []; // per open group: does it contain a quantifier or `|`?
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") stack.push(false);
    else if (c === ")") {
      const inner = stack.pop() ?? false;
      const next = source[i + 1];
      const quantified = next === "*" || next === "+" || next === "{" || next === "?";
      if (inner && quantified && next !== "?") return true;
      if (inner || quantified) markQuantified(stack);
    } else if (c === "*" || c === "+" || c === "{" || c === "|") markQuantified(stack);
  }
  return false;
}

function markQuantified(stack: boolean[]) {
  if (stack.length > 0) stack[stack.length - 1] = true;
}

/** The expression compiled case-insensitively; throws an Error naming the problem (callers validate first). */
export function compileSafeRegex(source: string): RegExp {
  const problem = regexProblem(source);
  if (problem) throw new Error(`pattern expression ${problem}`);
  return new RegExp(source, "i");
}
