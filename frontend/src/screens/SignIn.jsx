// Sign in with an access token; it is kept in this tab's session storage only.
import { useState } from "preact/hooks";
import { SignedOut, graphql } from "../api.js";
import { VIEWER } from "../operations.js";
import { clearToken, saveToken } from "../session.js";

export function SignIn({ message, onSignedIn }) {
  const [token, setToken] = useState("");
  const [problem, setProblem] = useState(message);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    if (!token.trim()) {
      setProblem("Paste an access token first.");
      return;
    }
    setBusy(true);
    saveToken(token);
    try {
      const { viewer } = await graphql(VIEWER);
      onSignedIn(viewer);
    } catch (error) {
      clearToken();
      setProblem(
        error instanceof SignedOut
          ? "That token was not accepted: it is unknown, expired or revoked."
          : error.message,
      );
      setBusy(false);
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1>Manage licenses</h1>
      <p>Sign in with an access token (from <code>licgraph token create</code>).</p>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <form onSubmit={submit}>
        <label for="token">Access token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p class="hint">The token stays in this browser tab only and is forgotten when you sign out.</p>
    </main>
  );
}
