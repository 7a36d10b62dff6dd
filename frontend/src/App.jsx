// The app's frame: who is signed in, which customer is open, the ticked users, and which
// screen shows. Screens get what they need as props; the session comes through context.
import { useEffect, useMemo, useState } from "preact/hooks";
import { SignedOut, graphql } from "./api.js";
import { Session } from "./hooks.js";
import { VIEWER } from "./operations.js";
import { ChangeLog } from "./screens/ChangeLog.jsx";
import { Customers } from "./screens/Customers.jsx";
import { Manage } from "./screens/Manage.jsx";
import { Results } from "./screens/Results.jsx";
import { Selected } from "./screens/Selected.jsx";
import { SignIn } from "./screens/SignIn.jsx";
import { Users } from "./screens/Users.jsx";
import { clearToken, loadToken } from "./session.js";
import { emptySelection } from "./selection.js";
import { roleInWords } from "./words.js";

const SCREENS = [
  ["customers", "Customers"],
  ["users", "Users and licenses"],
  ["selected", "Selected users"],
  ["manage", "Manage licenses"],
  ["results", "Licenses updated"],
  ["log", "Change log"],
];

export function App() {
  const [viewer, setViewer] = useState(null);
  const [checking, setChecking] = useState(() => loadToken() !== null);
  const [message, setMessage] = useState(null);
  const [customer, setCustomer] = useState(null);
  const [selection, setSelection] = useState(emptySelection);
  const [screen, setScreen] = useState("customers");
  const [outcome, setOutcome] = useState(null);

  const start = (signedIn) => {
    setViewer(signedIn);
    setMessage(null);
    // A customer's own admin has one customer: open it at once.
    if (signedIn.customer) openCustomer(signedIn.customer);
    else setScreen("customers");
  };
  const end = (why) => {
    clearToken();
    setViewer(null);
    setCustomer(null);
    setSelection(emptySelection());
    setOutcome(null);
    setMessage(why);
  };
  const openCustomer = (chosen) => {
    setCustomer(chosen);
    setSelection(emptySelection());
    setOutcome(null);
    setScreen("users");
  };
  const session = useMemo(() => ({ viewer, end }), [viewer]);

  useEffect(() => {
    if (!checking) return;
    graphql(VIEWER).then(
      ({ viewer: signedIn }) => start(signedIn),
      (error) => end(error instanceof SignedOut ? error.message : null),
    ).finally(() => setChecking(false));
  }, []);
  useEffect(() => {
    document.getElementById("main")?.focus();
  }, [screen]);

  if (checking) return <p class="loading">Checking your session…</p>;
  if (!viewer) return <SignIn message={message} onSignedIn={start} />;
  // Each Save or retry is a new confirmation screen (with its own retry key).
  const saved = (result) => {
    setOutcome((previous) => ({ ...result, serial: (previous?.serial ?? 0) + 1 }));
    setScreen("results");
  };
  const props = { customer, selection, onSelection: setSelection, onManage: () => setScreen("manage") };
  return (
    <Session.Provider value={session}>
      <a class="skip" href="#main">
        Skip to the screen
      </a>
      <header class="top">
        <h1 class="brand">licgraph · Manage licenses</h1>
        <p class="who">
          {viewer.name} <span class="muted">({roleInWords(viewer.role)})</span>
          {customer && (
            <>
              {" "}
              · <strong>{customer.name}</strong>
            </>
          )}
        </p>
        <button type="button" onClick={() => end(null)}>
          Sign out
        </button>
      </header>
      <nav class="screens" aria-label="Screens">
        {SCREENS.map(([name, title]) => (
          <button
            type="button"
            key={name}
            aria-current={screen === name ? "page" : undefined}
            disabled={!reachable(name, customer, outcome, viewer)}
            onClick={() => setScreen(name)}
          >
            {title}
            {name === "selected" && customer ? ` (${selection.size})` : ""}
          </button>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        {screen === "customers" && <Customers onOpen={openCustomer} />}
        {screen === "users" && <Users {...props} />}
        {screen === "selected" && <Selected {...props} />}
        {screen === "manage" && <Manage {...props} onSaved={saved} />}
        {screen === "results" && outcome && (
          <Results key={outcome.serial} customer={customer} outcome={outcome} onRetried={saved} />
        )}
        {screen === "log" && <ChangeLog customer={customer} />}
      </main>
    </Session.Provider>
  );
}

function reachable(screen, customer, outcome, viewer) {
  if (screen === "customers") return viewer.partnerWide;
  if (screen === "results") return outcome !== null;
  return customer !== null;
}
