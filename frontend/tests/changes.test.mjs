// The Manage licenses screen's rules, without a browser.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  failedResults,
  isEmptyChange,
  nextChoice,
  plannedChange,
  seatShortfalls,
  switchPlanOff,
  switchPlanOn,
} from "../src/changes.js";

const plan = (id, ...requires) => ({ id, name: id, requiredServicePlans: requires.map((r) => ({ id: r })) });
// Teams needs Exchange and SharePoint; Phone needs Teams; Sway needs nothing.
const PLANS = [plan("exchange"), plan("sharepoint"), plan("teams", "exchange", "sharepoint"), plan("phone", "teams"), plan("sway")];
const product = (id, assignmentState) => ({ id, assignmentState });

test("a partly filled box cycles filled, clear, partly filled", () => {
  assert.equal(nextChoice("some", "some"), "all");
  assert.equal(nextChoice("some", "all"), "none");
  assert.equal(nextChoice("some", "none"), "some");
});

test("a filled or clear box toggles between the two", () => {
  assert.equal(nextChoice("all", "all"), "none");
  assert.equal(nextChoice("all", "none"), "all");
  assert.equal(nextChoice("none", "none"), "all");
  assert.equal(nextChoice("none", "all"), "none");
});

test("switching a plan off switches off what needs it, transitively", () => {
  assert.deepEqual(switchPlanOff(PLANS, new Set(), "exchange"), new Set(["exchange", "teams", "phone"]));
  assert.deepEqual(switchPlanOff(PLANS, new Set(["sway"]), "phone"), new Set(["sway", "phone"]));
});

test("switching a plan on switches on what it needs, transitively", () => {
  const off = new Set(["exchange", "sharepoint", "teams", "phone", "sway"]);
  assert.deepEqual(switchPlanOn(PLANS, off, "phone"), new Set(["sway"]));
  assert.deepEqual(switchPlanOn(PLANS, off, "sway"), new Set(["exchange", "sharepoint", "teams", "phone"]));
});

test("boxes become one assign and revoke list; untouched ones change nothing", () => {
  const products = [product("a", "NONE"), product("b", "SOME"), product("c", "ALL"), product("d", "SOME"), product("e", "ALL")];
  const choices = { a: "all", b: "none", c: "all", d: "some" };
  const change = plannedChange(products, choices, { a: new Set(["x"]) }, new Set());
  assert.deepEqual(change, { assign: [{ productId: "a", disabledServicePlanIds: ["x"] }], revoke: ["b"] });
  assert.equal(isEmptyChange(change), false);
  assert.equal(isEmptyChange(plannedChange(products, {}, {}, new Set())), true);
});

test("a filled box whose plans changed assigns again, with those plans", () => {
  const change = plannedChange([product("c", "ALL")], {}, { c: new Set(["sway"]) }, new Set(["c"]));
  assert.deepEqual(change.assign, [{ productId: "c", disabledServicePlanIds: ["sway"] }]);
});

test("the seat shortfall per product comes from the insufficient-licenses errors", () => {
  const copilot = { id: "p1", name: "Copilot" };
  const results = [
    { userId: "u1", status: "FAILED", errors: [{ __typename: "InsufficientLicensesError", product: copilot, requested: 3, available: 1 }] },
    { userId: "u2", status: "FAILED", errors: [{ __typename: "UsageLocationRequiredError" }] },
    { userId: "u3", status: "SUCCEEDED", errors: [] },
  ];
  const [short] = seatShortfalls(results);
  assert.equal(short.product, copilot);
  assert.equal(short.short, 2);
  assert.deepEqual(failedResults(results).map((r) => r.userId), ["u1", "u2"]);
});
