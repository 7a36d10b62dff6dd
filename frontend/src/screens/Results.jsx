// Step 6, "Licenses updated": every user's licenses after the Save and every error in
// words; a location error can be fixed here, then the failed users alone retried.
import { useContext, useState } from "preact/hooks";
import { newIdempotencyKey } from "../api.js";
import { failedResults } from "../changes.js";
import { Problem } from "../components.jsx";
import { Session, useAction, useRequest } from "../hooks.js";
import { SAVE_LICENSES, SET_USAGE_LOCATION } from "../operations.js";
import { errorInWords, isLocationError, licenseInWords, listed, statusInWords } from "../words.js";

export function Results({ customer, outcome, onRetried }) {
  const { viewer } = useContext(Session);
  const request = useRequest();
  const { payload, change } = outcome;
  const failed = failedResults(payload.results);
  // A retry is a new change (other users): a new key, fixed for this screen's retry button.
  const [retryKey] = useState(() => newIdempotencyKey("retry"));
  const [retry, retrying] = useAction(async () => {
    const userIds = failed.map((result) => result.userId);
    const input = { customerId: customer.id, userIds, ...change, idempotencyKey: retryKey };
    const { updateLicenses } = await request(SAVE_LICENSES, { input });
    onRetried({ payload: updateLicenses, change, userIds, retried: true });
  });
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">Licenses updated</h2>
      <p class="summary" role="status">
        {outcome.retried ? "Retry of the failed users: " : ""}
        {payload.succeededCount} updated, {payload.failedCount} failed,{" "}
        {payload.results.length - payload.succeededCount - payload.failedCount} unchanged.
      </p>
      <LocationFix customer={customer} failed={failed} />
      {failed.length > 0 && viewer.canChangeLicenses && (
        <p>
          <button type="button" class="primary" disabled={retrying.busy} onClick={() => retry()}>
            {retrying.busy ? "Retrying…" : `Retry the failed users only (${failed.length})`}
          </button>
        </p>
      )}
      <Problem error={retrying.error} />
      <ul class="results">
        {payload.results.map((result) => (
          <li key={result.userId} class={`result result-${result.status.toLowerCase()}`}>
            <h3>{result.user?.displayName ?? "Unknown user"}</h3>
            <p class="status">{statusInWords(result.status)}</p>
            <p>
              <span class="muted">Licenses now: </span>
              {result.licenses.map(licenseInWords).join("; ") || "none"}
            </p>
            {result.errors.length > 0 && (
              <ul class="errors" aria-label={`Errors for ${result.user?.displayName ?? "this user"}`}>
                {result.errors.map((error, i) => (
                  <li key={i}>{errorInWords(error)}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One usage location for every failed user whose errors a location would fix. */
function LocationFix({ customer, failed }) {
  const { viewer } = useContext(Session);
  const request = useRequest();
  const needing = failed.filter((result) => result.errors.some(isLocationError));
  const [location, setLocation] = useState("");
  const [done, setDone] = useState(null);
  const [fix, fixing] = useAction(async () => {
    const { setUsageLocation } = await request(SET_USAGE_LOCATION, {
      input: {
        customerId: customer.id,
        userIds: needing.map((result) => result.userId),
        usageLocation: location.trim().toUpperCase(),
      },
    });
    const refused = setUsageLocation.results.flatMap((result) => result.errors);
    if (refused.length > 0) throw new Error(refused.map((e) => e.message).join(" "));
    setDone(setUsageLocation);
  });
  if (needing.length === 0 || !viewer.canChangeLicenses) return null;
  const who = listed(needing.map((result) => result.user?.displayName ?? result.userId));
  return (
    <form
      class="location-fix"
      onSubmit={(event) => {
        event.preventDefault();
        fix();
      }}
    >
      <p>
        A usage location would fix the errors of <strong>{who}</strong>.
      </p>
      <label for="fix-location">Usage location (two letters, such as US)</label>
      <input
        id="fix-location"
        required
        size="4"
        maxLength={2}
        pattern="[A-Za-z]{2}"
        value={location}
        onInput={(e) => setLocation(e.currentTarget.value)}
      />
      <button type="submit" disabled={fixing.busy}>
        Set usage location
      </button>
      <Problem error={fixing.error} />
      {done && (
        <p role="status">
          Usage location set to {done.usageLocation} for {who}. Now retry the failed users.
        </p>
      )}
    </form>
  );
}
