// The ticked users of one customer, across pages, searches and filters: an id → user map.

export const emptySelection = () => new Map();

export function toggled(selection, user) {
  const next = new Map(selection);
  if (next.has(user.id)) next.delete(user.id);
  else next.set(user.id, { id: user.id, displayName: user.displayName });
  return next;
}

/** Ticks every user of the page, or unticks them all when they are all ticked already. */
export function toggledPage(selection, users) {
  const next = new Map(selection);
  const all = users.length > 0 && users.every((user) => next.has(user.id));
  for (const user of users) {
    if (all) next.delete(user.id);
    else next.set(user.id, { id: user.id, displayName: user.displayName });
  }
  return next;
}

/** The page's header box: "all", "some" or "none" of its users ticked. */
export function pageState(selection, users) {
  const ticked = users.filter((user) => selection.has(user.id)).length;
  if (ticked === 0) return "none";
  return ticked === users.length ? "all" : "some";
}
