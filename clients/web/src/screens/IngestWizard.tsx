import { createMutation, createQuery } from "@urql/solid";
import { createMemo, createSignal, For, Show } from "solid-js";
import {
  ApproveIngestMappingDocument,
  CreateIngestJobDocument,
  CreateIngestMappingDocument,
  IngestMappingsDocument,
  type MappingDetailsFragment,
} from "../api/generated/graphql.ts";
import { canApprove } from "../api/session.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { detectFormat, mappingTemplate, parseSpec, type SourceFormat } from "../ingest/ingestSource.ts";
import { uploadFile } from "../ingest/uploadFile.ts";
import { formatBytes, formatPercent } from "../lib/format.ts";
import { navigate } from "../lib/navigation.ts";

const FORMATS: SourceFormat[] = ["CSV", "NDJSON", "JSON", "STIX"];
const NEW = "__new__";

/**
 * Ingest in four steps on one page: the file, its mapping (pick or create),
 * the mapping's approval, then start — which uploads the file and opens the
 * job's live progress.
 */
export function IngestWizard() {
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

  const candidates = createMemo(() => (mappings.data?.ingestMappings ?? []).filter((m) => !format() || m.format === format()));
  const selected = createMemo<MappingDetailsFragment | undefined>(() => mappings.data?.ingestMappings.find((m) => m.id === mappingId()));
  const ready = () => Boolean(file() && selected() && (selected()!.state === "APPROVED" || (useOverride() && overrideReason().trim())));

  const chooseFile = async (chosen: File | undefined) => {
    setFile(chosen ?? null);
    setStartError(null);
    if (!chosen) return;
    const text = await chosen.slice(0, 4096).text();
    setHead(text);
    const detected = detectFormat(chosen.name, text) ?? "";
    setFormat(detected);
    setNewName(chosen.name.replace(/\.[^.]+$/, ""));
    if (detected) setSpecText(JSON.stringify(mappingTemplate(detected, text.split(/\r?\n/)[0]), null, 2));
    const first = (mappings.data?.ingestMappings ?? []).find((m) => m.format === detected);
    setMappingId(first ? first.id : NEW);
  };

  const submitMapping = async (event: SubmitEvent) => {
    event.preventDefault();
    const chosenFormat = format();
    if (!chosenFormat) return setSpecProblem("Pick the file's format first.");
    let spec: unknown = null;
    if (chosenFormat !== "STIX") {
      const parsed = parseSpec(specText());
      if (!parsed.ok) return setSpecProblem(parsed.message);
      spec = parsed.spec;
    }
    setSpecProblem(null);
    const result = await createMapping({ input: { name: newName().trim() || "mapping", format: chosenFormat, spec } });
    if (result.data) {
      refetchMappings({ requestPolicy: "network-only" });
      setMappingId(result.data.createIngestMapping.id);
    }
  };

  const submitApproval = async (event: SubmitEvent) => {
    event.preventDefault();
    const mapping = selected();
    if (!mapping) return;
    const result = await approveMapping({ id: mapping.id, reason: approvalReason().trim() });
    if (result.data) refetchMappings({ requestPolicy: "network-only" });
  };

  const start = async () => {
    const chosen = file();
    const mapping = selected();
    if (!chosen || !mapping) return;
    setStartError(null);
    const result = await createJob({
      input: {
        mappingId: mapping.id,
        fileName: chosen.name,
        ...(mapping.state !== "APPROVED" && useOverride() ? { approvalOverride: overrideReason().trim() } : {}),
      },
    });
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

  return (
    <section class="screen wizard" aria-labelledby="ingest-title">
      <h1 id="ingest-title">Ingest a file</h1>

      <fieldset class="step">
        <legend>1 · File</legend>
        <label>
          File to ingest (CSV, NDJSON, JSON or a STIX bundle)
          <input type="file" name="file" accept=".csv,.ndjson,.jsonl,.json" onChange={(e) => void chooseFile(e.currentTarget.files?.[0])} />
        </label>
        <Show when={file()}>
          {(f) => (
            <p class="muted" data-testid="file-summary">
              {f().name} · {formatBytes(f().size)}
            </p>
          )}
        </Show>
        <label>
          Format
          <select name="format" value={format()} onChange={(e) => setFormat(e.currentTarget.value as SourceFormat)}>
            <option value="">Choose…</option>
            <For each={FORMATS}>{(f) => <option value={f}>{f}</option>}</For>
          </select>
        </label>
      </fieldset>

      <fieldset class="step" disabled={!format()}>
        <legend>2 · Mapping</legend>
        <Show
          when={!mappings.error}
          fallback={<ErrorPanel error={mappings.error} onRetry={() => refetchMappings({ requestPolicy: "network-only" })} />}
        >
          <Show when={mappings.data} fallback={<SkeletonRows rows={3} label="Loading mappings" />}>
            <div class="choices" role="radiogroup" aria-label="Mapping">
              <For each={candidates()}>
                {(m) => (
                  <label class="choice">
                    <input type="radio" name="mapping" value={m.id} checked={mappingId() === m.id} onChange={() => setMappingId(m.id)} />
                    <span>
                      {m.name} <span class="muted">v{m.version}</span>
                    </span>
                    <StateBadge state={m.state} />
                  </label>
                )}
              </For>
              <label class="choice">
                <input type="radio" name="mapping" value={NEW} checked={mappingId() === NEW} onChange={() => setMappingId(NEW)} />
                <span>New mapping…</span>
              </label>
            </div>
          </Show>
        </Show>
        <Show when={mappingId() === NEW}>
          <form class="new-mapping" onSubmit={(e) => void submitMapping(e)}>
            <label>
              Name
              <input name="mappingName" required value={newName()} onInput={(e) => setNewName(e.currentTarget.value)} />
            </label>
            <Show when={format() !== "STIX"} fallback={<p class="muted">STIX bundles use the built-in mapping; no spec needed.</p>}>
              <label>
                Spec (JSON; see docs/ingest.md)
                <textarea
                  name="spec"
                  rows={10}
                  spellcheck={false}
                  value={specText()}
                  onInput={(e) => setSpecText(e.currentTarget.value)}
                  onFocus={() => head() && !specText() && setSpecText(JSON.stringify(mappingTemplate(format() || "CSV"), null, 2))}
                />
              </label>
            </Show>
            <Show when={specProblem()}>
              <p class="field-problem" role="alert">
                {specProblem()}
              </p>
            </Show>
            <Show when={created.error}>{(error) => <ErrorPanel error={error()} title="The mapping was not created." />}</Show>
            <button type="submit" disabled={created.fetching}>
              {created.fetching ? "Creating…" : "Create mapping"}
            </button>
          </form>
        </Show>
      </fieldset>

      <fieldset class="step" disabled={!selected()}>
        <legend>3 · Approval</legend>
        <Show when={selected()} fallback={<p class="muted">Pick or create a mapping to see its approval.</p>}>
          {(m) => (
            <div data-testid="approval">
              <p>
                <strong>{m().name}</strong> v{m().version} is <StateBadge state={m().state} />
                <Show when={m().decision}>{(d) => <span class="muted"> — “{d().reason}”</span>}</Show>
              </p>
              <Show when={m().newTypes.length}>
                <p class="muted">
                  New types it brings:{" "}
                  {m()
                    .newTypes.map((t) => t.name)
                    .join(", ")}
                </p>
              </Show>
              <Show when={m().state === "PENDING_APPROVAL"}>
                <Show
                  when={canApprove()}
                  fallback={<p>A tenant admin has to approve this mapping before it can be used. Ask one, then come back.</p>}
                >
                  <form class="inline-form" onSubmit={(e) => void submitApproval(e)}>
                    <label>
                      Approval reason
                      <input
                        name="approvalReason"
                        required
                        value={approvalReason()}
                        onInput={(e) => setApprovalReason(e.currentTarget.value)}
                      />
                    </label>
                    <button type="submit" disabled={approved.fetching}>
                      Approve mapping
                    </button>
                  </form>
                  <label class="choice">
                    <input type="checkbox" checked={useOverride()} onChange={(e) => setUseOverride(e.currentTarget.checked)} />
                    <span>Or start without approval (an audited override)</span>
                  </label>
                  <Show when={useOverride()}>
                    <label>
                      Override reason
                      <input name="overrideReason" value={overrideReason()} onInput={(e) => setOverrideReason(e.currentTarget.value)} />
                    </label>
                  </Show>
                </Show>
              </Show>
              <Show when={approved.error}>{(error) => <ErrorPanel error={error()} title="The mapping was not approved." />}</Show>
            </div>
          )}
        </Show>
      </fieldset>

      <fieldset class="step">
        <legend>4 · Start</legend>
        <Show when={startError()}>{(error) => <ErrorPanel error={error()} title="The ingest did not start." />}</Show>
        <div class="start-row">
          <button type="button" class="primary" disabled={!ready() || uploadProgress() !== null} onClick={() => void start()}>
            Start ingest
          </button>
          <Show when={uploadProgress() !== null}>
            <span role="status">Uploading… {formatPercent(uploadProgress())}</span>
          </Show>
        </div>
      </fieldset>
    </section>
  );
}
