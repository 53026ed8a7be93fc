import type { Logger } from "@intelgraph/kit";
import type { ChainService } from "./chainService.ts";

/**
 * Anchors the heads of grown chains every `intervalMs` (never two runs at
 * once; a failed run is logged and the next one tries again). Does not keep
 * the process alive. Returns the function that stops it; 0 starts nothing.
 */
export function startAnchorTimer(chain: Pick<ChainService, "anchorAll">, intervalMs: number, logger: Logger): () => void {
  if (intervalMs <= 0) return () => undefined;
  let anchoring = false;
  const timer = setInterval(() => {
    if (anchoring) return;
    anchoring = true;
    chain
      .anchorAll()
      .catch((error) => logger.warn({ err: error }, "anchoring the audit chains failed"))
      .finally(() => (anchoring = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
