import assert from "node:assert/strict";
import { test } from "node:test";
import { emptySelection, pageState, toggled, toggledPage } from "../src/selection.js";

const ada = { id: "1", displayName: "Ada", licenses: [] };
const bo = { id: "2", displayName: "Bo" };
const cy = { id: "3", displayName: "Cy" };

test("ticking and unticking a user keeps only id and name", () => {
  const once = toggled(emptySelection(), ada);
  assert.deepEqual([...once.values()], [{ id: "1", displayName: "Ada" }]);
  assert.equal(toggled(once, ada).size, 0);
});

test("the page box ticks the whole page, and unticks it when all are ticked", () => {
  const elsewhere = toggled(emptySelection(), cy);
  const all = toggledPage(toggled(elsewhere, ada), [ada, bo]);
  assert.deepEqual([...all.keys()].sort(), ["1", "2", "3"]);
  assert.deepEqual([...toggledPage(all, [ada, bo]).keys()], ["3"], "other pages' ticks stay");
});

test("the page box shows all, some or none of the page", () => {
  const some = toggled(emptySelection(), ada);
  assert.equal(pageState(some, [ada, bo]), "some");
  assert.equal(pageState(toggled(some, bo), [ada, bo]), "all");
  assert.equal(pageState(some, [bo]), "none");
  assert.equal(pageState(some, []), "none");
});
