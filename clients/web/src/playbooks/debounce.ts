/** Calls `fn` with the latest arguments once `ms` have passed without another call (the cron preview as you type). */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
  // Arrow wrappers: the browser's timers throw "Illegal invocation" when called as methods of another object.
  timers: { set: (fn: () => void, ms: number) => ReturnType<typeof setTimeout>; clear: (id: ReturnType<typeof setTimeout>) => void } = {
    set: (f, wait) => setTimeout(f, wait),
    clear: (id) => clearTimeout(id),
  },
): { call: (...args: A) => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    if (timer !== undefined) timers.clear(timer);
    timer = undefined;
  };
  return {
    call: (...args: A) => {
      cancel();
      timer = timers.set(() => {
        timer = undefined;
        fn(...args);
      }, ms);
    },
    cancel,
  };
}
