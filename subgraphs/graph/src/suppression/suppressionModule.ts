import type { IntelModuleDeps, IntelModule } from "../intel/intelModule.ts";

/** The suppression API's SDL (empty until its first operation lands). */
export const suppressionTypeDefs = "";

export async function createSuppressionModule(_deps: IntelModuleDeps): Promise<IntelModule> {
  return {};
}
