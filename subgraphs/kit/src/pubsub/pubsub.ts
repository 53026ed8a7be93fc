/**
 * Topic-based pub/sub behind an interface: in-memory by default; a Redis or
 * NATS implementation can replace it for multi-replica deployments.
 */
export interface PubSub {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Yields payloads published after the call, until the iterator is returned. */
  subscribe<T>(topic: string): AsyncIterableIterator<T>;
  close(): Promise<void>;
}

export interface InMemoryPubSubOptions {
  /** Events buffered per slow subscriber before the oldest are dropped; default 1000. */
  bufferSize?: number;
}

export function createInMemoryPubSub({ bufferSize = 1000 }: InMemoryPubSubOptions = {}): PubSub {
  const topics = new Map<string, Set<(payload: unknown) => void>>();
  const closers = new Set<() => void>();

  return {
    async publish(topic, payload) {
      for (const listener of topics.get(topic) ?? []) listener(payload);
    },

    subscribe<T>(topic: string): AsyncIterableIterator<T> {
      const queue: T[] = [];
      let waiting: ((r: IteratorResult<T>) => void) | null = null;
      let done = false;

      const listener = (payload: unknown) => {
        if (waiting) {
          const resolve = waiting;
          waiting = null;
          resolve({ value: payload as T, done: false });
          return;
        }
        queue.push(payload as T);
        if (queue.length > bufferSize) queue.shift();
      };

      const finish = () => {
        if (done) return;
        done = true;
        topics.get(topic)?.delete(listener);
        closers.delete(finish);
        if (waiting) waiting({ value: undefined, done: true });
        waiting = null;
      };

      let set = topics.get(topic);
      if (!set) topics.set(topic, (set = new Set()));
      set.add(listener);
      closers.add(finish);

      const iterator: AsyncIterableIterator<T> = {
        next() {
          const value = queue.shift();
          if (value !== undefined) return Promise.resolve({ value, done: false });
          if (done) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => (waiting = resolve));
        },
        return() {
          finish();
          return Promise.resolve({ value: undefined, done: true });
        },
        throw(error?: unknown) {
          finish();
          return Promise.reject(error);
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },

    async close() {
      for (const finish of [...closers]) finish();
      topics.clear();
    },
  };
}
