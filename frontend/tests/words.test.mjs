import assert from "node:assert/strict";
import { test } from "node:test";
import { errorInWords, isLocationError, licenseInWords, listed } from "../src/words.js";

const copilot = { id: "p", name: "Microsoft 365 Copilot" };

test("every license error reads as a sentence with what to do", () => {
  const cases = [
    [{ __typename: "InsufficientLicensesError", product: copilot, requested: 3, available: 0 }, "Not enough Microsoft 365 Copilot licenses: this save needed 3 new, only 0 were free. Buy more or pick fewer users."],
    [{ __typename: "UsageLocationRequiredError" }, /has no usage location/],
    [{ __typename: "ProductUnavailableInLocationError", product: copilot, usageLocation: "CN" }, /not sold in this user's usage location \(CN\)/],
    [{ __typename: "MissingDependencyError", product: copilot, requiredProducts: [{ name: "E3" }, { name: "E5" }] }, /needs E3 or E5 as well/],
    [{ __typename: "DependentLicenseError", product: { name: "E3" }, dependentProducts: [{ name: "Visio" }] }, "E3 can't be removed while Visio depends on it: remove that too."],
    [{ __typename: "MutuallyExclusiveLicensesError", product: { name: "E3" }, conflictingProducts: [{ name: "E5" }, { name: "E1" }] }, "E3 can't be held together with E5 and E1."],
    [{ __typename: "ServicePlanDependencyError", product: { name: "E3" }, servicePlan: { name: "Teams" }, requiredServicePlans: [{ name: "Exchange" }] }, "In E3, Teams needs Exchange switched on."],
    [{ __typename: "SomethingNew", message: "The server's own words." }, "The server's own words."],
  ];
  for (const [error, expected] of cases) {
    if (expected instanceof RegExp) assert.match(errorInWords(error), expected);
    else assert.equal(errorInWords(error), expected);
  }
});

test("location errors are the ones a usage location fixes", () => {
  assert.equal(isLocationError({ __typename: "UsageLocationRequiredError" }), true);
  assert.equal(isLocationError({ __typename: "ProductUnavailableInLocationError" }), true);
  assert.equal(isLocationError({ __typename: "InsufficientLicensesError" }), false);
});

test("licenses and lists read naturally", () => {
  assert.equal(licenseInWords({ product: { name: "E3" }, disabledServicePlans: [] }), "E3");
  assert.equal(licenseInWords({ product: { name: "E3" }, disabledServicePlans: [{ name: "Sway" }, { name: "Teams" }] }), "E3 (without Sway and Teams)");
  assert.equal(listed(["a", "b", "c"], "or"), "a, b or c");
});
