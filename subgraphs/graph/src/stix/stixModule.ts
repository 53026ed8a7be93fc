import type { IntelModuleDeps, IntelModule } from "../intel/intelModule.ts";

/** The stix API's SDL (empty until its first operation lands). */
export const stixTypeDefs = "";

export async function createStixModule(_deps: IntelModuleDeps): Promise<IntelModule> {
  return {};
}
