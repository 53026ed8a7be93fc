/** A job, mapping or outcome state as a coloured label (text always present). */
export function StateBadge(props: { state: string }) {
  const label = () => props.state.toLowerCase().replace(/_/g, " ");
  return (
    <span class="state-badge" data-state={props.state}>
      {label()}
    </span>
  );
}
