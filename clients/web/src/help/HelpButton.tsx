import { openHelpTopic, toggleHelp } from "./helpState.ts";
import { HELP_TOPICS, type HelpTopicId } from "./helpTopics.ts";

/** The "?" beside a screen's title: opens (or closes) its help panel. */
export function HelpButton(props: { topic: HelpTopicId }) {
  return (
    <button
      type="button"
      class="help-button"
      aria-label={`Help: ${HELP_TOPICS[props.topic].title}`}
      aria-expanded={openHelpTopic() === props.topic}
      aria-controls="help-panel"
      onClick={() => toggleHelp(props.topic)}
    >
      ?
    </button>
  );
}
