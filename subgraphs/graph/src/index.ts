export {
  name,
  sdl,
  createServer,
  createIngestWorkerProcess,
  type GraphDeps,
  type GraphServer,
  type IngestSettings,
  type AskSettings,
} from "./server.ts";
export { ENTITY_LABELS } from "./graphSchema.ts";
export { createIngestStore, type IngestStore } from "./ingest/ingestStore.ts";
export { createUploadHandler, UPLOAD_PATH_PREFIX } from "./ingest/uploads.ts";
export { RecordRefusedError, writeBatch, type BatchRecord, type WriteContext } from "./ingest/graphWriter.ts";
export { createGraphVocabulary, type GraphVocabulary } from "./ask/graphVocabulary.ts";
export { compileCypher, type CompiledCypher } from "./ask/compileCypher.ts";
export { checkCypher } from "./ask/checkCypher.ts";
export { createAskTerms } from "./ask/askTerms.ts";
export { interpretQuestion, type Interpretation } from "./ask/interpretQuestion.ts";
export { createAskService, type AskService, type AskAnswer } from "./ask/askService.ts";
export { createDownloadHandler, EXPORT_PATH_PREFIX, signDownloadToken } from "./exports/downloadLinks.ts";
export { createModelProposer, type ModelSettings } from "./ask/modelProposer.ts";
