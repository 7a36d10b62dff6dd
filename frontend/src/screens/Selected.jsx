// Step 3, "Selected users": exactly the ticked users, sorted like the list, each untickable.
import { Problem } from "../components.jsx";
import { useQuery } from "../hooks.js";
import { MANAGE_LICENSES } from "../operations.js";
import { toggled } from "../selection.js";

export function Selected({ customer, selection, onSelection, onManage }) {
  const userIds = [...selection.keys()];
  const { data, error, loading } = useQuery(MANAGE_LICENSES, { customerId: customer.id, userIds });
  // The answer may still hold a user unticked a moment ago: show the selection's own.
  const users = (data?.customer?.usersByIds ?? []).filter((user) => selection.has(user.id));
  return (
    <section aria-labelledby="selected-title" aria-busy={loading ? "true" : "false"}>
      <h2 id="selected-title">Selected users</h2>
      <Problem error={error} />
      {selection.size === 0 ? (
        <p>No user is selected yet: tick users in “Users and licenses”.</p>
      ) : (
        <>
          <p class="count">{selection.size} selected, sorted by name.</p>
          <ol class="selected">
            {users.map((user) => (
              <li key={user.id}>
                <span>{user.displayName}</span>
                <span class="muted">{user.usageLocation ?? "no usage location"}</span>
                <button
                  type="button"
                  aria-label={`Untick ${user.displayName}`}
                  onClick={() => onSelection(toggled(selection, user))}
                >
                  Untick
                </button>
              </li>
            ))}
          </ol>
          <button type="button" class="primary" onClick={onManage}>
            Manage licenses of these users
          </button>
        </>
      )}
    </section>
  );
}
