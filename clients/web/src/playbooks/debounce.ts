/** Calls `fn` with the latest arguments once `ms` have passed without another call (the cron preview as you type). */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
  timers: { set: typeof setTimeout; clear: typeof clearTimeout } = { set: setTimeout, clear: clearTimeout },
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
