/** Ranking for the command palette: subsequence match, word starts and prefixes first. */
export interface Command {
  id: string;
  title: string;
  /** Shown beside the title, e.g. "Screen" or "Person". */
  group: string;
  /** Extra words that match (not shown). */
  keywords?: string;
  href: string;
  /** Runs after navigating to `href`, e.g. to open a help panel. */
  onChoose?: () => void;
}

/** Score of `query` against `text` (higher is better), or null when not every character appears in order. */
export function matchScore(query: string, text: string): number | null {
  const q = query.trim().toLowerCase();
  const t = text.toLowerCase();
  if (!q) return 0;
  if (t.startsWith(q)) return 1000 - t.length;
  const word = t.indexOf(` ${q}`);
  if (word >= 0) return 800 - word;
  const inside = t.indexOf(q);
  if (inside >= 0) return 600 - inside;
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of q) {
    if (char === " ") continue;
    const at = t.indexOf(char, from);
    if (at < 0) return null;
    score += at === previous + 1 ? 5 : at === 0 || t[at - 1] === " " ? 3 : 1;
    previous = at;
    from = at + 1;
  }
  return score;
}

export function rankCommands(commands: readonly Command[], query: string, limit = 12): Command[] {
  return commands
    .map((command, index) => {
      const keywordScore = command.keywords ? matchScore(query, command.keywords) : null;
      const score = Math.max(matchScore(query, command.title) ?? -1, keywordScore ?? -1);
      return { command, score, index };
    })
    .filter((c) => c.score >= 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limit)
    .map((c) => c.command);
}
