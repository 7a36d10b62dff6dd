// The Manage licenses screen's rules, as pure functions over plain data: what a product's
// tri-state box becomes when clicked, which plans a switch drags along, what a Save sends
// and what a preview says. No DOM, no fetch: tests/changes.test.mjs runs them in Node.

/** A product's box as the server reports it for the selection: "all", "some" or "none". */
export const choiceOf = (assignmentState) => assignmentState.toLowerCase();

/**
 * The box after a click. A partly filled box goes filled (assign to all), then clear
 * (remove from all), then back to partly filled (leave as it is); a box that started
 * filled or clear just toggles.
 */
export function nextChoice(initial, current) {
  if (current === "all") return "none";
  if (current === "none") return initial === "some" ? "some" : "all";
  return "all";
}

/** Plans that require `planId`, directly or through other plans. */
function dependentsOf(plans, planId) {
  const found = new Set();
  const visit = (id) => {
    for (const plan of plans) {
      if (!found.has(plan.id) && plan.requiredServicePlans.some((r) => r.id === id)) {
        found.add(plan.id);
        visit(plan.id);
      }
    }
  };
  visit(planId);
  return found;
}

/** Plans that `planId` requires, directly or through other plans. */
function requirementsOf(plans, planId) {
  const byId = new Map(plans.map((plan) => [plan.id, plan]));
  const found = new Set();
  const visit = (id) => {
    for (const required of byId.get(id)?.requiredServicePlans ?? []) {
      if (!found.has(required.id)) {
        found.add(required.id);
        visit(required.id);
      }
    }
  };
  visit(planId);
  return found;
}

/** Switching a plan off switches off every plan that needs it. */
export function switchPlanOff(plans, disabled, planId) {
  return new Set([...disabled, planId, ...dependentsOf(plans, planId)]);
}

/** Switching a plan on switches on every plan it needs. */
export function switchPlanOn(plans, disabled, planId) {
  const on = new Set([planId, ...requirementsOf(plans, planId)]);
  return new Set([...disabled].filter((id) => !on.has(id)));
}

/**
 * The Save's `assign` and `revoke` for the boxes' current state. A filled box assigns
 * (to those who lack it, and with the chosen plans; for a box that was already filled only
 * when its plans were changed); a cleared box revokes; a partly filled one changes nothing.
 */
export function plannedChange(products, choices, disabledPlans, plansTouched) {
  const assign = [];
  const revoke = [];
  for (const product of products) {
    const initial = choiceOf(product.assignmentState);
    const choice = choices[product.id] ?? initial;
    const touched = plansTouched.has(product.id);
    if (choice === "all" && (initial !== "all" || touched)) {
      const off = [...(disabledPlans[product.id] ?? [])];
      assign.push({ productId: product.id, disabledServicePlanIds: off });
    } else if (choice === "none" && initial !== "none") {
      revoke.push(product.id);
    }
  }
  return { assign, revoke };
}

export const isEmptyChange = ({ assign, revoke }) => assign.length === 0 && revoke.length === 0;

/** Per product, how many more seats a save needs than are free, from its results. */
export function seatShortfalls(results) {
  const byProduct = new Map();
  for (const result of results) {
    for (const error of result.errors) {
      if (error.__typename !== "InsufficientLicensesError") continue;
      const short = error.requested - error.available;
      byProduct.set(error.product.id, { product: error.product, ...error, short });
    }
  }
  return [...byProduct.values()];
}

export const failedResults = (results) => results.filter((r) => r.status === "FAILED");
