export { name, sdl, createServer, createBillingServices, type BillingServer, type BillingServerDeps } from "./server.ts";
export type { BillingServices } from "./resolvers.ts";
export { signWebhookBody, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from "./alerts/alertDelivery.ts";
