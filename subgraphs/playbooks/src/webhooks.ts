import { appError, ErrorCode, signWebhookBody, WEBHOOK_DELIVERY_HEADER, WEBHOOK_SIGNATURE_HEADER } from "@intelgraph/kit";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * A webhook target: an absolute https URL, or http to this machine only
 * (127.0.0.1 / localhost, for local receivers and tests). Throws
 * BAD_USER_INPUT naming `path` otherwise.
 */
export function parseWebhookTarget(raw: unknown, path: string): URL {
  let url: URL | null = null;
  try {
    url = typeof raw === "string" ? new URL(raw) : null;
  } catch {
    url = null;
  }
  const ok = url && (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname)));
  if (!url || !ok) {
    const message = "must be an https URL (http only for 127.0.0.1 or localhost)";
    throw appError(ErrorCode.BAD_USER_INPUT, `${path} ${message}; got ${JSON.stringify(raw)}.`, { problems: [{ path, message }] });
  }
  return url;
}

export interface SignedPost {
  url: URL;
  secret: string;
  body: string;
  deliveryId: string;
  /** Unix seconds of the signature. */
  timestampSeconds: number;
  signal: AbortSignal;
}

/**
 * POSTs `body` signed like billing's alert webhooks (`x-intelgraph-signature:
 * t=…,v1=HMAC-SHA256(secret, "<t>.<body>")`, `x-intelgraph-delivery`).
 * Redirects are not followed. Resolves with the status; throws on a network
 * error or a non-2xx answer (UPSTREAM_UNAVAILABLE with the status).
 */
export async function postSigned(post: SignedPost): Promise<{ status: number }> {
  let response: Response;
  try {
    response = await fetch(post.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "IntelGraph-Playbooks/1",
        [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(post.secret, post.timestampSeconds, post.body),
        [WEBHOOK_DELIVERY_HEADER]: post.deliveryId,
      },
      body: post.body,
      redirect: "manual",
      signal: post.signal,
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw appError(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      `The webhook ${post.url.host} did not answer: ${(error as Error).message}${cause ? ` (${cause})` : ""}.`,
    );
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.status < 200 || response.status >= 300) {
    throw appError(ErrorCode.UPSTREAM_UNAVAILABLE, `The webhook ${post.url.host} answered HTTP ${response.status}.`, {
      statusCode: response.status,
    });
  }
  return { status: response.status };
}
