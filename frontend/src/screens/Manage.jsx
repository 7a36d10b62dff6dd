// Step 4 and 5, "Manage licenses": per product the counts, the tri-state box for the
// selection, who holds it, Buy more, its service plans; then a dry-run preview and Save.
import { useContext, useMemo, useState } from "preact/hooks";
import { choiceOf, isEmptyChange, nextChoice, plannedChange } from "../changes.js";
import { Problem, TriStateBox } from "../components.jsx";
import { Session, useQuery } from "../hooks.js";
import { MANAGE_LICENSES } from "../operations.js";
import { BuyMore } from "./BuyMore.jsx";
import { Preview } from "./Preview.jsx";
import { ServicePlans } from "./ServicePlans.jsx";

export function Manage({ customer, selection, onSaved }) {
  const { viewer } = useContext(Session);
  const userIds = [...selection.keys()];
  const { data, error, loading, reload } = useQuery(MANAGE_LICENSES, {
    customerId: customer.id,
    userIds,
  });
  const [choices, setChoices] = useState({});
  const [disabledPlans, setDisabledPlans] = useState({});
  const [plansTouched, setPlansTouched] = useState(new Set());
  const products = data?.customer?.products ?? [];
  const users = data?.customer?.usersByIds ?? [];
  const change = useMemo(
    () => plannedChange(products, choices, disabledPlans, plansTouched),
    [products, choices, disabledPlans, plansTouched],
  );
  if (selection.size === 0) {
    return (
      <section aria-labelledby="manage-title">
        <h2 id="manage-title">Manage licenses</h2>
        <p>No user is selected yet: tick users in “Users and licenses”.</p>
      </section>
    );
  }
  const setPlans = (productId, disabled) => {
    setDisabledPlans({ ...disabledPlans, [productId]: disabled });
    setPlansTouched(new Set([...plansTouched, productId]));
  };
  const forgetPlans = (productId) => {
    const { [productId]: _, ...others } = disabledPlans;
    setDisabledPlans(others);
    setPlansTouched(new Set([...plansTouched].filter((id) => id !== productId)));
  };
  return (
    <section aria-labelledby="manage-title" aria-busy={loading ? "true" : "false"}>
      <h2 id="manage-title">Manage licenses</h2>
      <ul class="chips" aria-label="Selected users">
        {users.map((user) => (
          <li key={user.id}>{user.displayName}</li>
        ))}
      </ul>
      <Problem error={error} />
      {!viewer.canChangeLicenses && (
        <p class="note">Your role can look at licenses but not change them.</p>
      )}
      <ul class="products">
        {products.map((product) => (
          <ProductRow
            key={product.id}
            customer={customer}
            product={product}
            selectedCount={users.length}
            choice={choices[product.id] ?? choiceOf(product.assignmentState)}
            onClick={() => {
              const initial = choiceOf(product.assignmentState);
              const next = nextChoice(initial, choices[product.id] ?? initial);
              setChoices({ ...choices, [product.id]: next });
              // Plans are chosen for an assignment: a box that no longer assigns forgets them.
              if (next !== "all") forgetPlans(product.id);
            }}
            disabledPlans={disabledPlans[product.id] ?? new Set()}
            onPlans={(disabled) => setPlans(product.id, disabled)}
            onBought={reload}
          />
        ))}
      </ul>
      {viewer.canChangeLicenses && data && (
        <Preview
          customer={customer}
          userIds={userIds}
          products={products}
          change={change}
          empty={isEmptyChange(change)}
          onSaved={onSaved}
        />
      )}
    </section>
  );
}

function ProductRow({ customer, product, selectedCount, choice, onClick, disabledPlans, onPlans, onBought }) {
  const { viewer } = useContext(Session);
  const [plansOpen, setPlansOpen] = useState(false);
  const boxId = `product-${product.id}`;
  const holders = product.assignedUsers;
  return (
    <li class="product">
      <div class="product-head">
        <TriStateBox
          id={boxId}
          state={choice}
          disabled={!viewer.canChangeLicenses}
          onChange={onClick}
        />
        <label for={boxId} class="product-name">
          {product.name}
        </label>
        <span class={`change change-${changeWord(product, choice)}`}>{changeText(product, choice)}</span>
      </div>
      <p class="counts">
        <strong>{product.availableLicenses} available</strong> · {product.assignedLicenses}{" "}
        assigned of {product.totalLicenses}
      </p>
      <div class="product-tools">
        <span class="tip">
          <button type="button" class="tip-trigger" aria-describedby={`${boxId}-holders`}>
            Assigned: {holders.length} of {selectedCount}
          </button>
          <span role="tooltip" id={`${boxId}-holders`}>
            {holders.length === 0
              ? "None of the selected users holds it."
              : `Held by ${holders.map((user) => user.displayName).join(", ")}`}
          </span>
        </span>
        {product.servicePlans.length > 0 && (
          <button
            type="button"
            aria-expanded={plansOpen ? "true" : "false"}
            aria-controls={`${boxId}-plans`}
            onClick={() => setPlansOpen(!plansOpen)}
          >
            {plansOpen ? "Hide service plans" : "View service plans"}
          </button>
        )}
        {product.availableLicenses === 0 && viewer.canPurchaseLicenses && (
          <BuyMore customer={customer} product={product} onBought={onBought} />
        )}
      </div>
      <Rules product={product} />
      {plansOpen && (
        <ServicePlans
          id={`${boxId}-plans`}
          product={product}
          disabled={disabledPlans}
          editable={viewer.canChangeLicenses && choice === "all"}
          onChange={onPlans}
        />
      )}
    </li>
  );
}

function changeWord(product, choice) {
  const initial = choiceOf(product.assignmentState);
  if (choice === initial) return "none";
  return choice === "all" ? "assign" : choice === "none" ? "revoke" : "none";
}

function changeText(product, choice) {
  const word = changeWord(product, choice);
  if (word === "assign") return "will be assigned";
  if (word === "revoke") return "will be removed";
  return "";
}

function Rules({ product }) {
  const notes = [];
  if (product.requiredProducts.length > 0) {
    notes.push(`Needs ${product.requiredProducts.map((p) => p.name).join(" or ")}.`);
  }
  if (product.conflictingProducts.length > 0) {
    notes.push(`Not with ${product.conflictingProducts.map((p) => p.name).join(", ")}.`);
  }
  if (product.unavailableUsageLocations.length > 0) {
    notes.push(`Not sold in ${product.unavailableUsageLocations.join(", ")}.`);
  }
  return notes.length > 0 ? <p class="rules">{notes.join(" ")}</p> : null;
}
