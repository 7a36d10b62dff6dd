// Step 5: preview the Save as a dry run (who would fail and why, seats short per product),
// then Save once. The idempotency key belongs to the planned change: a double click, or
// Save again after a lost reply, sends the same key and is applied once.
import { useEffect, useState } from "preact/hooks";
import { newIdempotencyKey } from "../api.js";
import { failedResults, seatShortfalls } from "../changes.js";
import { Problem } from "../components.jsx";
import { useAction, useRequest } from "../hooks.js";
import { SAVE_LICENSES } from "../operations.js";
import { errorInWords, listed } from "../words.js";

export function Preview({ customer, userIds, products, change, empty, onSaved }) {
  const request = useRequest();
  const planned = JSON.stringify([userIds, change]);
  const [preview, setPreview] = useState(null);
  const [key, setKey] = useState(() => newIdempotencyKey("save"));
  useEffect(() => {
    setPreview(null);
    setKey(newIdempotencyKey("save"));
  }, [planned]);
  const input = { customerId: customer.id, userIds, assign: change.assign, revoke: change.revoke };
  const [runPreview, previewing] = useAction(async () => {
    const { updateLicenses } = await request(SAVE_LICENSES, { input: { ...input, dryRun: true } });
    setPreview(updateLicenses);
  });
  const [save, saving] = useAction(async () => {
    const { updateLicenses } = await request(SAVE_LICENSES, {
      input: { ...input, idempotencyKey: key },
    });
    onSaved({ payload: updateLicenses, change, userIds });
  });
  const names = (ids) => listed(products.filter((p) => ids.includes(p.id)));
  return (
    <div class="save-area" aria-labelledby="preview-title">
      <h3 id="preview-title">Save</h3>
      {empty ? (
        <p>Tick products to assign or clear products to remove, then preview the change.</p>
      ) : (
        <p>
          {change.assign.length > 0 && <>Assign {names(change.assign.map((a) => a.productId))}. </>}
          {change.revoke.length > 0 && <>Remove {names(change.revoke)}. </>}
          For {userIds.length} {userIds.length === 1 ? "user" : "users"}.
        </p>
      )}
      <button type="button" disabled={empty || previewing.busy} onClick={() => runPreview()}>
        {previewing.busy ? "Checking…" : "Preview changes"}
      </button>
      <Problem error={previewing.error} />
      {preview && <PreviewResult preview={preview} />}
      {preview && (
        <button type="button" class="primary" disabled={saving.busy} onClick={() => save()}>
          {saving.busy ? "Saving…" : "Save"}
        </button>
      )}
      {saving.error && (
        <p class="problem" role="alert">
          {saving.error.message} Saving again is safe: this change is applied at most once.
        </p>
      )}
    </div>
  );
}

function PreviewResult({ preview }) {
  const failing = failedResults(preview.results);
  const shortfalls = seatShortfalls(preview.results);
  return (
    <div class="preview" role="status">
      <p>
        <strong>Preview:</strong> {preview.succeededCount} would be updated, {preview.failedCount}{" "}
        would fail. Nothing has been saved yet.
      </p>
      {shortfalls.length > 0 && (
        <ul class="shortfalls" aria-label="Licenses short">
          {shortfalls.map((s) => (
            <li key={s.product.id}>
              {s.product.name}: {s.requested} needed, {s.available} available — {s.short} short
            </li>
          ))}
        </ul>
      )}
      {failing.length > 0 && (
        <ul class="failing" aria-label="Users who would fail">
          {failing.map((result) => (
            <li key={result.userId}>
              <strong>{result.user?.displayName ?? result.userId}</strong>:{" "}
              {result.errors.map(errorInWords).join(" ")}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
