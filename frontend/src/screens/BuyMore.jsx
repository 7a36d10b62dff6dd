// "Buy more": raise a product's total with purchaseLicenses (Admin and Sales agents only).
import { useState } from "preact/hooks";
import { newIdempotencyKey } from "../api.js";
import { Problem } from "../components.jsx";
import { useAction, useRequest } from "../hooks.js";
import { PURCHASE_LICENSES } from "../operations.js";

export function BuyMore({ customer, product, onBought }) {
  const request = useRequest();
  const [open, setOpen] = useState(false);
  const [quantity, setQuantity] = useState("5");
  // One key per purchase the person means (a new one when the quantity changes): a double
  // click, or a retry after a lost reply, buys once.
  const [key, setKey] = useState(() => newIdempotencyKey("purchase"));
  const [buy, { busy, error }] = useAction(async () => {
    const { purchaseLicenses } = await request(PURCHASE_LICENSES, {
      input: {
        customerId: customer.id,
        productId: product.id,
        quantity: Number(quantity),
        idempotencyKey: key,
      },
    });
    if (purchaseLicenses.errors.length > 0) throw new Error(purchaseLicenses.errors[0].message);
    setKey(newIdempotencyKey("purchase"));
    setOpen(false);
    onBought();
  });
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Buy more
      </button>
    );
  }
  const inputId = `buy-${product.id}`;
  return (
    <form
      class="buy"
      onSubmit={(event) => {
        event.preventDefault();
        buy();
      }}
    >
      <label for={inputId}>Licenses of {product.name} to buy</label>
      <input
        id={inputId}
        type="number"
        min="1"
        max="10000"
        required
        value={quantity}
        onInput={(e) => {
          setQuantity(e.currentTarget.value);
          setKey(newIdempotencyKey("purchase"));
        }}
      />
      <button type="submit" disabled={busy}>
        {busy ? "Buying…" : "Buy"}
      </button>
      <Problem error={error} />
    </form>
  );
}
