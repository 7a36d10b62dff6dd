// What the API's codes mean, in words a person understands.

const ROLES = {
  ADMIN_AGENT: "Admin agent",
  SALES_AGENT: "Sales agent",
  HELPDESK_AGENT: "Helpdesk agent",
  GLOBAL_ADMIN: "Global admin",
  USER_MANAGEMENT_ADMIN: "User management admin",
  READER: "Reader",
};

const ACTIONS = {
  ASSIGNED: "License assigned",
  REVOKED: "License removed",
  PLANS_CHANGED: "Service plans changed",
  PURCHASED: "Licenses bought",
  USAGE_LOCATION_SET: "Usage location set",
};

const STATUSES = { SUCCEEDED: "Updated", FAILED: "Not changed: failed", UNCHANGED: "No change needed" };

export const roleInWords = (role) => ROLES[role] ?? role;
export const actionInWords = (action) => ACTIONS[action] ?? action;
export const statusInWords = (status) => STATUSES[status] ?? status;

export function listed(items, word = "and") {
  const names = items.map((item) => item.name ?? item.displayName ?? item);
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} ${word} ${names.at(-1)}`;
}

const EXPLAIN = {
  InsufficientLicensesError: (e) =>
    `Not enough ${e.product.name} licenses: this save needed ${e.requested} new, ` +
    `only ${e.available} ${e.available === 1 ? "was" : "were"} free. Buy more or pick fewer users.`,
  UsageLocationRequiredError: () =>
    "This user has no usage location, and licenses can only go to users who have one. " +
    "Set a usage location, then retry.",
  ProductUnavailableInLocationError: (e) =>
    `${e.product.name} is not sold in this user's usage location (${e.usageLocation}). ` +
    "Set another usage location or leave this product out.",
  MissingDependencyError: (e) =>
    `${e.product.name} needs ${listed(e.requiredProducts, "or")} as well: assign one of them in the same save.`,
  DependentLicenseError: (e) =>
    `${e.product.name} can't be removed while ${listed(e.dependentProducts)} ${
      e.dependentProducts.length === 1 ? "depends" : "depend"
    } on it: remove ${e.dependentProducts.length === 1 ? "that" : "those"} too.`,
  MutuallyExclusiveLicensesError: (e) =>
    `${e.product.name} can't be held together with ${listed(e.conflictingProducts)}.`,
  InvalidServicePlanError: (e) =>
    `Some service plans switched off for ${e.product.name} don't belong to it.`,
  ServicePlanDependencyError: (e) =>
    `In ${e.product.name}, ${e.servicePlan.name} needs ${listed(e.requiredServicePlans)} switched on.`,
  UserNotFoundError: () => "This user does not exist (any more) in this customer.",
  ProductNotFoundError: () => "This product does not exist (any more) for this customer.",
};

export function errorInWords(error) {
  return EXPLAIN[error.__typename]?.(error) ?? error.message;
}

/** Errors a new usage location can fix. */
export const isLocationError = (error) =>
  error.__typename === "UsageLocationRequiredError" ||
  error.__typename === "ProductUnavailableInLocationError";

export function licenseInWords(license) {
  const off = license.disabledServicePlans ?? [];
  return off.length === 0
    ? license.product.name
    : `${license.product.name} (without ${listed(off)})`;
}

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium" });
export const timeInWords = (iso) => WHEN.format(new Date(iso));
