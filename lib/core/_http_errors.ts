/**
 * From what HTTP and the runtime said to the library's typed errors: the one switch on status,
 * the reading of a failed connection (refused, DNS, reset, a Deno permission), and the rule that
 * a message stays short while the server's whole words stay in `detail`.
 *
 * @module
 */
import {
  AuthenticationError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  type RequestError,
  RuntimePermissionError,
  ServerError,
  TransportError,
} from "./errors.ts";
import { retryAfterMillisFromHeaders } from "./retry.ts";
import { permissionDenied } from "./_permissions.ts";

/** The longest a message quotes of what a server said. */
export const quotedChars = 300;

/** `text` on one line, cut to `max` characters with an ellipsis. */
export function shortText(text: string, max: number = quotedChars): string {
  // Only the part that can be shown is flattened: a 1 MB message costs no 1 MB regex pass.
  const flat = text.slice(0, max * 4).replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** A URL as errors may show it: without its query, which for a signed URL is a credential. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split("?")[0] ?? url;
  }
}

/** The server's own words from an error body: GraphQL `errors[].message`, or W&B's `error`. */
function bodyMessage(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as { errors?: unknown; error?: unknown };
    if (Array.isArray(json.errors)) {
      const messages = json.errors.map((e) =>
        typeof e === "string" ? e : String((e as { message?: unknown })?.message ?? "")
      ).filter((m) => m.length > 0);
      if (messages.length > 0) return shortText(messages.join("; "));
    }
    if (typeof json.error === "string") return shortText(json.error);
  } catch {
    // Not JSON: an HTML error page says most in its title.
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body.slice(0, 4096))?.[1];
    if (title !== undefined && title.trim().length > 0) return shortText(title);
  }
  return body.trim().length > 0 ? shortText(body) : undefined;
}

/** What an error answer brought, for {@link statusError}. */
export interface ErrorAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Its body, read up to a limit. */
  readonly body: string;
  /** Whether the request carried the API key. */
  readonly withKey: boolean;
}

/** Maps a non-2xx answer to its error class: the single switch on HTTP status. */
export function statusError(
  operation: string,
  url: string,
  answer: ErrorAnswer,
): RequestError | NotFoundError {
  const { status, headers, body } = answer;
  const said = bodyMessage(body);
  const detail = body.trim().length > 0 ? body : undefined;
  const message = (fallback: string) => said === undefined ? fallback : `${fallback}: ${said}`;
  const path = shownUrl(url);
  if (status >= 300 && status < 400) {
    const location = headers["location"];
    let host: string | undefined;
    try {
      host = location === undefined ? undefined : new URL(location, url).host;
    } catch {
      host = undefined;
    }
    return new ServerError({
      operation,
      status,
      redirectedTo: host,
      detail,
      message: `The server redirected ${path} (HTTP ${status}) to ${
        host ?? "an address it did not give"
      }; the API key was not sent there. Point WANDB_BASE_URL at the server that answers`,
    });
  }
  switch (status) {
    case 401:
      return new AuthenticationError({
        operation,
        status,
        detail,
        message: message("The API key is invalid or missing (HTTP 401)"),
      });
    case 403:
      return new PermissionError({
        operation,
        status,
        detail,
        message: message(
          answer.withKey
            ? "The API key may not access this resource (HTTP 403)"
            : "Storage refused the request (HTTP 403)",
        ),
      });
    case 404:
      return new NotFoundError({
        operation,
        resource: "url",
        path: new URL(url).pathname,
        detail,
        message: message(`Nothing at ${new URL(url).pathname} (HTTP 404)`),
      });
    case 429:
      return new RateLimitedError({
        operation,
        retryAfterMillis: retryAfterMillisFromHeaders(headers, Date.now()),
        quota: headers["ratelimit-remaining"] === undefined ? undefined : {
          "ratelimit-remaining": headers["ratelimit-remaining"],
          "ratelimit-reset": headers["ratelimit-reset"] ?? "0",
        },
        detail,
        message: message("Rate limited by the server (HTTP 429)"),
      });
    default:
      return new ServerError({
        operation,
        status,
        retryAfterMillis: retryAfterMillisFromHeaders(headers, Date.now()),
        detail,
        message: message(`The server answered HTTP ${status} for ${path}`),
      });
  }
}

/** The messages of an error and the errors it was caused by, outermost first. */
function causeMessages(error: unknown): Array<string> {
  const messages: Array<string> = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) messages.push(current.message);
    else if (typeof current === "string") messages.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return messages;
}

/**
 * What a failed connection or body read was, from the errors the runtime gave: a Deno
 * permission refusal becomes a {@link RuntimePermissionError} (never retried); the rest a
 * {@link TransportError} naming what happened (refused, DNS, reset) and the URL.
 */
export function connectionError(
  operation: string,
  url: string,
  error: unknown,
  stage: "connect" | "read",
): TransportError | RuntimePermissionError {
  const denied = permissionDenied(operation, error, {
    permission: "net",
    target: new URL(url).host,
  });
  if (denied !== undefined) {
    return new RuntimePermissionError({
      ...denied,
      message: `Deno denied network access to ${denied.target} (${
        shownUrl(url)
      }): run with ${denied.flag}`,
    });
  }
  const messages = causeMessages(error);
  const all = messages.join(" | ");
  const shown = shownUrl(url);
  const said = shortText(messages.at(-1) ?? "no detail", 200);
  if (/connection refused/i.test(all)) {
    return new TransportError({
      operation,
      reason: "refused",
      url: shown,
      message: `Connection refused by ${new URL(url).host} (${shown}): is the server running?`,
    });
  }
  if (/dns error|failed to lookup|name or service not known|no such host|nodename/i.test(all)) {
    return new TransportError({
      operation,
      reason: "dns",
      url: shown,
      message: `The host name ${new URL(url).hostname} does not resolve (${shown}): ${said}`,
    });
  }
  if (
    /reset|broken pipe|closed|aborted|dropped|incomplete|unexpected end|eof|error reading a body/i
      .test(all)
  ) {
    return new TransportError({
      operation,
      reason: "reset",
      url: shown,
      message: stage === "read"
        ? `The connection broke while reading the answer from ${shown}: ${said}`
        : `The connection to ${shown} broke before an answer: ${said}`,
    });
  }
  return new TransportError({
    operation,
    reason: "network",
    url: shown,
    message: `${
      stage === "read" ? "Reading the answer from" : "Sending to"
    } ${shown} failed: ${said}`,
  });
}
