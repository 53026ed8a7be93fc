/**
 * Per-key cache of an async lookup for `ttlMs`: concurrent callers share one
 * in-flight load, a failed load is not kept, and past `maxEntries` the oldest
 * key goes. For values read on every request (a tenant's limits or rules)
 * where a few seconds of staleness is the documented price.
 */
export function createTtlCache<T>(load: (key: string) => Promise<T>, options: { ttlMs: number; maxEntries?: number }) {
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return {
    get(key: string): Promise<T> {
      const hit = entries.get(key);
      if (hit && Date.now() - hit.at < options.ttlMs) return hit.value;
      entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      const value = load(key);
      value.catch(() => entries.delete(key));
      entries.set(key, { at: Date.now(), value });
      return value;
    },
    /** Forgets a key, e.g. after this process changed what it caches. */
    delete(key: string) {
      entries.delete(key);
    },
  };
}
