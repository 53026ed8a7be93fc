/** Which help topic is open (one at a time, for the whole console). */
import { createSignal } from "solid-js";
import type { HelpTopicId } from "./helpTopics.ts";

const [openHelpTopic, setOpenHelpTopic] = createSignal<HelpTopicId | null>(null);

export { openHelpTopic };

export const openHelp = (topic: HelpTopicId) => setOpenHelpTopic(topic);
export const closeHelp = () => setOpenHelpTopic(null);
export const toggleHelp = (topic: HelpTopicId) => setOpenHelpTopic((open) => (open === topic ? null : topic));
