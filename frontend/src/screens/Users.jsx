// Step 2, "Users and licenses": a customer's users in pages sorted by display name, with
// search, filters and check boxes whose ticks survive paging, searching and filtering.
import { useState } from "preact/hooks";
import { Pager, Problem, SearchForm, TriStateBox } from "../components.jsx";
import { useQuery } from "../hooks.js";
import { MANAGE_LICENSES, USERS_PAGE } from "../operations.js";
import { pageState, toggled, toggledPage } from "../selection.js";
import { licenseInWords } from "../words.js";

const PAGE_SIZE = 25;
const FIRST = { first: PAGE_SIZE };
const LAST = { last: PAGE_SIZE };

export function Users({ customer, selection, onSelection, onManage }) {
  const [page, setPage] = useState(FIRST);
  const [search, setSearch] = useState(null);
  const [filter, setFilter] = useState(null);
  const { data, error, loading } = useQuery(USERS_PAGE, {
    customerId: customer.id,
    ...page,
    search,
    filter,
  });
  const users = data?.customer?.users;
  const rows = users?.nodes ?? [];
  const info = users?.pageInfo;
  const restart = (change) => {
    change();
    setPage(FIRST);
  };
  return (
    <section aria-labelledby="users-title" aria-busy={loading ? "true" : "false"}>
      <h2 id="users-title">Users and licenses</h2>
      <div class="tools">
        <SearchForm
          id="user-search"
          label="Search users"
          value={search}
          onSearch={(text) => restart(() => setSearch(text))}
        />
        <Filters customer={customer} onApply={(next) => restart(() => setFilter(next))} />
      </div>
      <Problem error={error} />
      {users && (
        <>
          <p class="count" aria-live="polite">
            {users.totalCount} {users.totalCount === 1 ? "user" : "users"} ·{" "}
            <strong>{selection.size} selected</strong>
            {selection.size > 0 && (
              <>
                {" "}
                <button type="button" class="link" onClick={onManage}>
                  Manage licenses of the selected users
                </button>
              </>
            )}
          </p>
          <div class="table-scroll">
            <table class="users">
              <caption class="visually-hidden">Users of {customer.name}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <TriStateBox
                      id="select-page"
                      label="Select all on this page"
                      state={pageState(selection, rows)}
                      disabled={rows.length === 0}
                      onChange={() => onSelection(toggledPage(selection, rows))}
                    />
                  </th>
                  <th scope="col">Name</th>
                  <th scope="col">Sign-in name</th>
                  <th scope="col">Location</th>
                  <th scope="col">Licenses</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((user) => (
                  <tr key={user.id} class={selection.has(user.id) ? "ticked" : undefined}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${user.displayName}`}
                        checked={selection.has(user.id)}
                        onChange={() => onSelection(toggled(selection, user))}
                      />
                    </td>
                    <th scope="row">{user.displayName}</th>
                    <td>{user.userPrincipalName}</td>
                    <td>{user.usageLocation ?? <span class="muted">none</span>}</td>
                    <td>{user.licenses.map(licenseInWords).join(", ") || <span class="muted">none</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows.length === 0 && <p>No user matches.</p>}
          <Pager
            label="User pages"
            buttons={[
              { text: "First", enabled: info.hasPreviousPage, onClick: () => setPage(FIRST) },
              {
                text: "Previous",
                enabled: info.hasPreviousPage,
                onClick: () => setPage({ last: PAGE_SIZE, before: info.startCursor }),
              },
              {
                text: "Next",
                enabled: info.hasNextPage,
                onClick: () => setPage({ first: PAGE_SIZE, after: info.endCursor }),
              },
              { text: "Last", enabled: info.hasNextPage, onClick: () => setPage(LAST) },
            ]}
          />
        </>
      )}
    </section>
  );
}

/** Holding / lacking a product and usage location; applied together. */
function Filters({ customer, onApply }) {
  const { data } = useQuery(MANAGE_LICENSES, { customerId: customer.id, userIds: [] });
  const products = data?.customer?.products ?? [];
  const [holding, setHolding] = useState("");
  const [lacking, setLacking] = useState("");
  const [location, setLocation] = useState("");
  const apply = (event) => {
    event.preventDefault();
    const filter = {};
    if (holding) filter.holdingProduct = holding;
    if (lacking) filter.lackingProduct = lacking;
    if (location.trim()) filter.usageLocation = location.trim().toUpperCase();
    onApply(Object.keys(filter).length > 0 ? filter : null);
  };
  const clear = () => {
    setHolding("");
    setLacking("");
    setLocation("");
    onApply(null);
  };
  const productOptions = products.map((product) => (
    <option key={product.id} value={product.id}>
      {product.name}
    </option>
  ));
  return (
    <form class="filters" onSubmit={apply} aria-label="Filter users">
      <label for="holding">Holding product</label>
      <select id="holding" value={holding} onChange={(e) => setHolding(e.currentTarget.value)}>
        <option value="">Any</option>
        {productOptions}
      </select>
      <label for="lacking">Lacking product</label>
      <select id="lacking" value={lacking} onChange={(e) => setLacking(e.currentTarget.value)}>
        <option value="">Any</option>
        {productOptions}
      </select>
      <label for="location">Usage location</label>
      <input
        id="location"
        size="4"
        maxLength={2}
        placeholder="US"
        value={location}
        onInput={(e) => setLocation(e.currentTarget.value)}
      />
      <button type="submit">Apply filters</button>
      <button type="button" onClick={clear}>
        Clear filters
      </button>
    </form>
  );
}
