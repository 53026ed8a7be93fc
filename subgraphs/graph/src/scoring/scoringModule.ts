import type { IntelModuleDeps, IntelModule } from "../intel/intelModule.ts";

/** The scoring API's SDL (empty until its first operation lands). */
export const scoringTypeDefs = "";

export async function createScoringModule(_deps: IntelModuleDeps): Promise<IntelModule> {
  return {};
}
