import { ApprovalStep } from "../ingest/ApprovalStep.tsx";
import { createIngestWizard } from "../ingest/createIngestWizard.ts";
import { FileStep } from "../ingest/FileStep.tsx";
import { MappingStep } from "../ingest/MappingStep.tsx";
import { StartStep } from "../ingest/StartStep.tsx";

/**
 * Ingest in four steps on one page: the file, its mapping (pick or create),
 * the mapping's approval, then start — which uploads the file and opens the
 * job's live progress. The state and actions live in `createIngestWizard`.
 */
export function IngestWizard() {
  const wizard = createIngestWizard();
  return (
    <section class="screen wizard" aria-labelledby="ingest-title">
      <h1 id="ingest-title">Ingest a file</h1>
      <FileStep wizard={wizard} />
      <MappingStep wizard={wizard} />
      <ApprovalStep wizard={wizard} />
      <StartStep wizard={wizard} />
    </section>
  );
}
