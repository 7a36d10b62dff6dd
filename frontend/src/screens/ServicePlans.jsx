// "View service plans": the plans a product is assigned with, switched on and off together
// with the plans they need or that need them.
import { switchPlanOff, switchPlanOn } from "../changes.js";

export function ServicePlans({ id, product, disabled, editable, onChange }) {
  const plans = product.servicePlans;
  return (
    <fieldset id={id} class="plans">
      <legend>Service plans of {product.name}</legend>
      {!editable && <p class="hint">Tick the product to choose the plans it is assigned with.</p>}
      {plans.map((plan) => (
        <div key={plan.id} class="plan">
          <input
            type="checkbox"
            id={`${id}-${plan.id}`}
            checked={!disabled.has(plan.id)}
            disabled={!editable}
            onChange={(event) =>
              onChange(
                event.currentTarget.checked
                  ? switchPlanOn(plans, disabled, plan.id)
                  : switchPlanOff(plans, disabled, plan.id),
              )
            }
          />
          <label for={`${id}-${plan.id}`}>{plan.name}</label>
          {plan.requiredServicePlans.length > 0 && (
            <span class="muted"> (needs {plan.requiredServicePlans.map((p) => p.name).join(", ")})</span>
          )}
        </div>
      ))}
    </fieldset>
  );
}
