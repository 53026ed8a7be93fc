import type { Logger } from "@intelgraph/kit";
import type { ChainService } from "./chainService.ts";

/**
 * Anchors the heads of grown chains every `intervalMs` (never two runs at
 * once; a failed run is logged and the next one tries again). Does not keep
 * the process alive. Returns the function that stops it and waits for a run
 * in flight, so the stores are not closed under it; 0 starts nothing.
 */
export function startAnchorTimer(chain: Pick<ChainService, "anchorAll">, intervalMs: number, logger: Logger): () => Promise<void> {
  if (intervalMs <= 0) return async () => undefined;
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = chain
      .anchorAll()
      .then(() => undefined)
      .catch((error: unknown) => logger.warn({ err: error }, "anchoring the audit chains failed"))
      .finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
