import { appError, ErrorCode, sendWebhook } from "@intelgraph/kit";

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

/** The longest one POST may take when its signal does not stop it sooner. */
const POST_TIMEOUT_MS = 30_000;

/**
 * POSTs `body` signed like billing's alert webhooks, through kit's
 * `sendWebhook` (`x-intelgraph-signature: t=…,v1=…`, `x-intelgraph-delivery`,
 * redirects not followed). Resolves with the status; throws
 * UPSTREAM_UNAVAILABLE on a network error or a non-2xx answer.
 */
export async function postSigned(post: SignedPost): Promise<{ status: number }> {
  const outcome = await sendWebhook(
    fetch,
    {
      url: post.url.href,
      secret: post.secret,
      body: post.body,
      deliveryId: post.deliveryId,
      timestampSeconds: post.timestampSeconds,
      userAgent: "IntelGraph-Playbooks/1",
      signal: post.signal,
    },
    POST_TIMEOUT_MS,
  );
  if (outcome.result === "DELIVERED") return { status: outcome.statusCode! };
  if (outcome.statusCode === null)
    throw appError(ErrorCode.UPSTREAM_UNAVAILABLE, `The webhook ${post.url.host} did not answer: ${outcome.error}.`);
  throw appError(ErrorCode.UPSTREAM_UNAVAILABLE, `The webhook ${post.url.host} answered HTTP ${outcome.statusCode}.`, {
    statusCode: outcome.statusCode,
  });
}
