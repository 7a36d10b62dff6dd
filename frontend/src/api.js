// One POST to /graphql per operation, with the session's token. An answer that says the token
// is not (or no longer) valid ends the session: SignedOut carries the words sign-in shows.
import { clearToken, loadToken } from "./session.js";

const ENDPOINT = new URL("../graphql", window.location.href);

export const SESSION_ENDED =
  "Your session has ended: the token has expired, was revoked or is not valid. " +
  "Sign in again with a valid token.";

/** Raised when there is no valid token: the app goes back to sign-in. */
export class SignedOut extends Error {}

/** Raised for a top-level GraphQL error or an unreachable server; `code` says which. */
export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

export async function graphql(document, variables = {}) {
  const token = loadToken();
  if (!token) throw new SignedOut("Sign in with an access token.");
  const response = await post(document, variables, token);
  const body = await response.json().catch(() => null);
  const [first] = body?.errors ?? [];
  if (response.status === 401 || first?.extensions?.code === "UNAUTHENTICATED") {
    clearToken();
    throw new SignedOut(SESSION_ENDED);
  }
  if (first) throw new ApiError(first.message, first.extensions?.code);
  if (!response.ok || !body?.data) {
    throw new ApiError(`The server answered ${response.status}; try again.`, "HTTP");
  }
  return body.data;
}

async function post(document, variables, token) {
  try {
    return await fetch(ENDPOINT, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/graphql-response+json, application/json",
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: document, variables }),
    });
  } catch {
    throw new ApiError(
      "The server could not be reached. Check the connection and try again.",
      "NETWORK",
    );
  }
}

/** A fresh idempotency key: one per intended change, reused by its retries. */
export function newIdempotencyKey(purpose) {
  return `app-${purpose}-${crypto.randomUUID()}`;
}
