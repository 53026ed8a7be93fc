import { createMutation, createQuery } from "@urql/solid";
import { createMemo, createSignal } from "solid-js";
import {
  ApproveIngestMappingDocument,
  CreateIngestJobDocument,
  CreateIngestMappingDocument,
  IngestMappingsDocument,
  type MappingDetailsFragment,
} from "../api/generated/graphql.ts";
import { navigate } from "../lib/navigation.ts";
import type { SourceFormat } from "./ingestSource.ts";
import { canStart, fileDefaults, ingestJobInput, mappingsFor, newMappingSpec } from "./ingestWizardRules.ts";
import { uploadFile } from "./uploadFile.ts";

/** What the wizard's steps read and do; one per wizard on screen. */
export type IngestWizard = ReturnType<typeof createIngestWizard>;

/**
 * The ingest wizard's state and actions: the file and its format, the mapping
 * (picked, or created here), its approval or an audited override, and the
 * start, which creates the job, uploads the file and opens the job's page.
 */
export function createIngestWizard() {
  const [file, setFile] = createSignal<File | null>(null);
  const [format, setFormat] = createSignal<SourceFormat | "">("");
  const [head, setHead] = createSignal("");
  const [mappingId, setMappingId] = createSignal<string>("");
  const [newName, setNewName] = createSignal("");
  const [specText, setSpecText] = createSignal("");
  const [specProblem, setSpecProblem] = createSignal<string | null>(null);
  const [approvalReason, setApprovalReason] = createSignal("");
  const [useOverride, setUseOverride] = createSignal(false);
  const [overrideReason, setOverrideReason] = createSignal("");
  const [uploadProgress, setUploadProgress] = createSignal<number | null>(null);
  const [startError, setStartError] = createSignal<unknown>(null);

  const [mappings, refetchMappings] = createQuery({ query: IngestMappingsDocument });
  const [created, createMapping] = createMutation(CreateIngestMappingDocument);
  const [approved, approveMapping] = createMutation(ApproveIngestMappingDocument);
  const [, createJob] = createMutation(CreateIngestJobDocument);
  const reloadMappings = () => refetchMappings({ requestPolicy: "network-only" });

  const candidates = createMemo(() => mappingsFor(mappings.data?.ingestMappings ?? [], format()));
  const selected = createMemo<MappingDetailsFragment | undefined>(() => mappings.data?.ingestMappings.find((m) => m.id === mappingId()));
  const ready = () => canStart(file(), selected(), useOverride(), overrideReason());

  const chooseFile = async (chosen: File | undefined) => {
    setFile(chosen ?? null);
    setStartError(null);
    if (!chosen) return;
    const text = await chosen.slice(0, 4096).text();
    setHead(text);
    const defaults = fileDefaults(chosen.name, text, mappings.data?.ingestMappings ?? []);
    setFormat(defaults.format);
    setNewName(defaults.mappingName);
    if (defaults.specText !== null) setSpecText(defaults.specText);
    setMappingId(defaults.mappingId);
  };

  const submitMapping = async (event: SubmitEvent) => {
    event.preventDefault();
    const spec = newMappingSpec(format(), specText());
    if (!spec.ok) return setSpecProblem(spec.message);
    setSpecProblem(null);
    const result = await createMapping({ input: { name: newName().trim() || "mapping", format: spec.format, spec: spec.spec } });
    if (result.data) {
      reloadMappings();
      setMappingId(result.data.createIngestMapping.id);
    }
  };

  const submitApproval = async (event: SubmitEvent) => {
    event.preventDefault();
    const mapping = selected();
    if (!mapping) return;
    const result = await approveMapping({ id: mapping.id, reason: approvalReason().trim() });
    if (result.data) reloadMappings();
  };

  const start = async () => {
    const chosen = file();
    const mapping = selected();
    if (!chosen || !mapping) return;
    setStartError(null);
    const result = await createJob({ input: ingestJobInput(mapping, chosen.name, useOverride(), overrideReason()) });
    const job = result.data?.createIngestJob;
    if (!job) return setStartError(result.error);
    if (!job.upload) return setStartError(new Error("The job did not return an upload URL."));
    try {
      setUploadProgress(0);
      await uploadFile(job.upload.path, chosen, setUploadProgress);
      navigate({ name: "ingest-job", jobId: job.id });
    } catch (error) {
      setUploadProgress(null);
      setStartError(error);
    }
  };

  return {
    file,
    format,
    setFormat,
    head,
    mappingId,
    setMappingId,
    newName,
    setNewName,
    specText,
    setSpecText,
    specProblem,
    approvalReason,
    setApprovalReason,
    useOverride,
    setUseOverride,
    overrideReason,
    setOverrideReason,
    uploadProgress,
    startError,
    mappings,
    reloadMappings,
    created,
    approved,
    candidates,
    selected,
    ready,
    chooseFile,
    submitMapping,
    submitApproval,
    start,
  };
}
