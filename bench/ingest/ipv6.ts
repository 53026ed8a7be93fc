/** RFC 5952 text of eight 16-bit groups: lowercase, no leading zeros, the first longest run of ≥ 2 zero groups as "::". */
export function ipv6Text(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

/** The eight groups of an RFC 5952 address this module wrote. */
export function ipv6Groups(text: string): number[] {
  const [head, tail] = text.split("::") as [string, string | undefined];
  const h = head ? head.split(":").map((g) => parseInt(g, 16)) : [];
  if (tail === undefined) return h;
  const t = tail ? tail.split(":").map((g) => parseInt(g, 16)) : [];
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}
