// Step 1: the customers the token may see, searchable, in pages.
import { useState } from "preact/hooks";
import { Pager, Problem, SearchForm } from "../components.jsx";
import { useQuery } from "../hooks.js";
import { CUSTOMERS_PAGE } from "../operations.js";

const PAGE_SIZE = 10;

export function Customers({ onOpen }) {
  const [search, setSearch] = useState(null);
  // Cursors of the pages before this one: Previous goes back to the last of them.
  const [trail, setTrail] = useState([]);
  const after = trail.at(-1) ?? null;
  const { data, error, loading } = useQuery(CUSTOMERS_PAGE, { first: PAGE_SIZE, after, search });
  const page = data?.customers;
  return (
    <section aria-labelledby="customers-title" aria-busy={loading ? "true" : "false"}>
      <h2 id="customers-title">Customers</h2>
      <SearchForm
        id="customer-search"
        label="Search customers"
        value={search}
        onSearch={(text) => {
          setSearch(text);
          setTrail([]);
        }}
      />
      <Problem error={error} />
      {page && (
        <>
          <p class="count">
            {page.totalCount} {page.totalCount === 1 ? "customer" : "customers"}
          </p>
          <ul class="customers">
            {page.edges.map(({ node }) => (
              <li key={node.id}>
                <button type="button" onClick={() => onOpen(node)}>
                  {node.name}
                </button>
                <span class="muted">{node.domain}</span>
              </li>
            ))}
          </ul>
          <Pager
            label="Customer pages"
            buttons={[
              { text: "Previous", enabled: trail.length > 0, onClick: () => setTrail(trail.slice(0, -1)) },
              {
                text: "Next",
                enabled: page.pageInfo.hasNextPage,
                onClick: () => setTrail([...trail, page.pageInfo.endCursor]),
              },
            ]}
          />
        </>
      )}
    </section>
  );
}
