// The customer's change log, newest first, in pages.
import { useState } from "preact/hooks";
import { Pager, Problem } from "../components.jsx";
import { useQuery } from "../hooks.js";
import { CHANGE_LOG_PAGE } from "../operations.js";
import { actionInWords, roleInWords, timeInWords } from "../words.js";

const PAGE_SIZE = 20;

export function ChangeLog({ customer }) {
  const [trail, setTrail] = useState([]);
  const after = trail.at(-1) ?? null;
  const { data, error, loading } = useQuery(CHANGE_LOG_PAGE, {
    customerId: customer.id,
    first: PAGE_SIZE,
    after,
  });
  const events = data?.customer?.licenseEvents;
  return (
    <section aria-labelledby="log-title" aria-busy={loading ? "true" : "false"}>
      <h2 id="log-title">Change log</h2>
      <Problem error={error} />
      {events && (
        <>
          <p class="count">{events.totalCount} changes, newest first.</p>
          <div class="table-scroll">
            <table class="log">
              <caption class="visually-hidden">Changes to {customer.name}</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">User</th>
                  <th scope="col">Product</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {events.nodes.map((event) => (
                  <tr key={event.id}>
                    <td>{timeInWords(event.occurredAt)}</td>
                    <td>{actionInWords(event.action)}</td>
                    <td>{event.user?.displayName ?? "—"}</td>
                    <td>{event.product?.name ?? "—"}</td>
                    <td>
                      {event.actor.name} <span class="muted">({roleInWords(event.actor.role)})</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Change log pages"
            buttons={[
              { text: "Newer", enabled: trail.length > 0, onClick: () => setTrail(trail.slice(0, -1)) },
              {
                text: "Older",
                enabled: events.pageInfo.hasNextPage,
                onClick: () => setTrail([...trail, events.pageInfo.endCursor]),
              },
            ]}
          />
        </>
      )}
    </section>
  );
}
