import { useClient } from "@urql/solid";
import { createSignal, Match, Switch } from "solid-js";
import { ValidateReportDocument, type ValidateReportQuery } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { formatTimestamp } from "../lib/format.ts";
import { BrokenLinkList } from "./BrokenLinkList.tsx";

type Validation = ValidateReportQuery["validateReport"];

/** "Check links": validateReport on the saved draft, each broken link with its location, reason and fix. */
export function ValidatorPanel(props: { reportId: string; dirty: boolean; onChecked: (validation: Validation) => void }) {
  const client = useClient();
  const [validation, setValidation] = createSignal<Validation | null>(null);
  const [checking, setChecking] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const check = async () => {
    setChecking(true);
    setError(null);
    const result = await client.query(ValidateReportDocument, { id: props.reportId }, { requestPolicy: "network-only" }).toPromise();
    setChecking(false);
    if (!result.data) return setError(result.error ?? new Error("The report was not checked."));
    setValidation(result.data.validateReport);
    props.onChecked(result.data.validateReport);
  };
  return (
    <section class="panel" aria-labelledby="validator-title" data-testid="validator">
      <div class="panel-head">
        <h2 id="validator-title">Validator</h2>
        <button type="button" class="small" disabled={checking()} onClick={() => void check()}>
          {checking() ? "Checking…" : "Check links"}
        </button>
      </div>
      <p class="muted">
        Checks the saved draft: every evidence link and cross-reference must resolve in your tenant.
        {props.dirty ? " Save first to check your latest changes." : ""}
      </p>
      <Switch>
        <Match when={error()}>
          <ErrorPanel error={error()} title="The report was not checked." />
        </Match>
        <Match when={validation()?.valid}>
          <p class="valid" role="status">
            All links resolve (checked {formatTimestamp(validation()!.checkedAt)}).
          </p>
        </Match>
        <Match when={validation()}>
          {(v) => (
            <>
              <p class="field-problem" role="status">
                {v().broken.length} broken link{v().broken.length === 1 ? "" : "s"}: publishing is blocked until they are fixed.
              </p>
              <BrokenLinkList broken={v().broken} label="Broken links" />
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}
