// The seed's job on the demo data, step by step, as a person does it in the app. The test
// (app.test.mjs) runs it with axe-core at every screen; screenshots.mjs photographs them.
import assert from "node:assert/strict";
import { server, settled } from "./browser.mjs";

const userRow = (page, name) => page.getByRole("checkbox", { name: `Select ${name}`, exact: true });
const product = (page, name) =>
  page.locator("li.product").filter({ has: page.getByText(name, { exact: true }) });
const productBox = (page, name) => page.getByRole("checkbox", { name, exact: true });
const firstRowName = (page) => page.locator("table.users tbody th").first().textContent();
const names = (locator) => locator.allTextContents();

async function nextPage(page, button) {
  const before = await firstRowName(page);
  await page.getByRole("navigation", { name: "User pages" }).getByRole("button", { name: button }).click();
  await page.waitForFunction(
    (previous) => document.querySelector("table.users tbody th")?.textContent !== previous,
    before,
  );
  await settled(page);
}

async function searchUsers(page, text) {
  await page.getByLabel("Search users").fill(text);
  await page.getByRole("search").getByRole("button", { name: "Search" }).click();
  await settled(page);
}

async function goTo(page, screen) {
  await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: screen }).click();
  await settled(page);
}

const boxState = (page, name) =>
  productBox(page, name).evaluate((box) => (box.indeterminate ? "some" : box.checked ? "all" : "none"));

/** The product's tri-state box shows `expected` ("all", "some", "none") once it has rendered. */
async function expectBox(page, name, expected) {
  for (let tries = 0; tries < 40 && (await boxState(page, name)) !== expected; tries += 1) {
    await page.waitForTimeout(50);
  }
  assert.equal(await boxState(page, name), expected, `the box of ${name}`);
}

/** Runs the flow; `at(screen)` is awaited at every screen, once it has settled. */
export async function manageLicensesFlow(page, at) {
  // Sign in with a token.
  await page.goto(`${server.url}/app/`);
  await page.getByLabel("Access token").waitFor();
  await at("sign-in");
  await page.getByLabel("Access token").fill(server.adminToken);
  await page.getByRole("button", { name: "Sign in" }).click();

  // 1. Customers: search, then open Contoso.
  await page.getByRole("heading", { name: "Customers" }).waitFor();
  await settled(page);
  await at("customers");
  await page.getByLabel("Search customers").fill("contoso");
  await page.getByRole("search").getByRole("button", { name: "Search" }).click();
  await page.getByText("1 customer", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Contoso Ltd.", exact: true }).click();
  await page.locator("table.users tbody tr").first().waitFor();
  await settled(page);

  // 2. Users and licenses: tick users on two pages, by search, and under a filter.
  assert.match(await page.locator(".count").textContent(), /^300 users · 0 selected/);
  await userRow(page, "Adele Vance").check();
  await userRow(page, "Alex Wilber").check();
  await userRow(page, "Aditi Bernard").check();
  await nextPage(page, "Next");
  const secondPage = await firstRowName(page);
  await userRow(page, secondPage).check();
  await at("users");
  await searchUsers(page, "Megan");
  await userRow(page, "Megan Bowen").check();
  assert.match(await page.locator(".count").textContent(), /5 selected/);
  await searchUsers(page, "");
  assert.equal(await userRow(page, "Adele Vance").isChecked(), true, "ticks survive a search");
  await page.getByLabel("Holding product").selectOption({ label: "Visio Plan 2" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForFunction(() => !/^300 users/.test(document.querySelector(".count").textContent));
  await settled(page);
  for (const licenses of await names(page.locator("table.users tbody td:nth-child(5)"))) {
    assert.match(licenses, /Visio Plan 2/);
  }
  assert.equal(await userRow(page, "Adele Vance").isChecked(), true, "ticks survive a filter");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByText(/^300 users/).waitFor();
  await nextPage(page, "Last");
  const selectPage = page.getByRole("checkbox", { name: "Select all on this page" });
  await selectPage.check();
  const lastPageRows = await page.locator("table.users tbody tr").count();
  assert.match(await page.locator(".count").textContent(), new RegExp(`${5 + lastPageRows} selected`));
  await selectPage.uncheck();
  await nextPage(page, "First");
  assert.equal(await firstRowName(page), "Adele Vance");

  // 3. Selected users: exactly the ticked ones, sorted; untick one.
  await goTo(page, "Selected users (5)");
  const selected = page.locator("ol.selected li > span:first-child");
  await selected.nth(4).waitFor();
  const shown = await names(selected);
  assert.deepEqual(shown, [...shown].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })));
  assert.deepEqual(new Set(shown), new Set(["Adele Vance", "Aditi Bernard", "Alex Wilber", secondPage, "Megan Bowen"]));
  await at("selected");
  await page.getByRole("button", { name: "Untick Aditi Bernard" }).click();
  await page.getByText("4 selected, sorted by name.").waitFor();

  // 4. Manage licenses: the tri-state, the Assigned tooltip, Buy more, service plans.
  await page.getByRole("button", { name: "Manage licenses of these users" }).click();
  await page.locator("li.product").first().waitFor();
  await settled(page);
  const chips = await names(page.getByRole("list", { name: "Selected users" }).getByRole("listitem"));
  assert.deepEqual(chips, shown.filter((name) => name !== "Aditi Bernard"));
  await expectBox(page, "Visio Plan 2", "some"); // some of them hold Visio
  const visio = product(page, "Visio Plan 2");
  await visio.getByRole("button", { name: /^Assigned: \d of 4$/ }).hover();
  const tooltip = visio.getByRole("tooltip");
  await tooltip.waitFor();
  assert.match(await tooltip.textContent(), /Adele Vance/);
  assert.doesNotMatch(await tooltip.textContent(), /Alex Wilber|Megan Bowen/);
  assert.equal(await product(page, "Microsoft 365 Copilot").getByRole("button", { name: "Buy more" }).count(), 1);
  assert.equal(await page.getByRole("button", { name: "Buy more" }).count(), 1, "only where none is left");
  await at("manage");

  // Service plans follow their dependencies: off drags dependents off, on drags needs on.
  const e3 = product(page, "Microsoft 365 E3");
  await productBox(page, "Microsoft 365 E3").click();
  await e3.getByRole("button", { name: "View service plans" }).click();
  const plan = (name) => e3.getByRole("checkbox", { name, exact: true });
  await plan("Exchange Online (Plan 2)").uncheck();
  for (const dependent of ["Microsoft Planner", "Microsoft Teams"]) {
    assert.equal(await plan(dependent).isChecked(), false, `${dependent} needs Exchange Online (Plan 2)`);
  }
  await at("service-plans");
  await plan("Microsoft Teams").check();
  assert.equal(await plan("Exchange Online (Plan 2)").isChecked(), true);
  assert.equal(await plan("SharePoint Online (Plan 2)").isChecked(), true);
  await productBox(page, "Microsoft 365 E3").click(); // clear: remove from all
  await productBox(page, "Microsoft 365 E3").click(); // partly filled again: leave as it is
  await expectBox(page, "Microsoft 365 E3", "some");
  assert.equal(await plan("Microsoft Planner").isChecked(), true, "no longer assigned: plans reset");
  assert.equal(await plan("Microsoft Planner").isDisabled(), true);

  // 5. Assign two products and revoke one; preview, then Save.
  await productBox(page, "Power BI Pro").check();
  await productBox(page, "Microsoft 365 Copilot").click();
  await productBox(page, "Visio Plan 2").click();
  await productBox(page, "Visio Plan 2").click();
  await expectBox(page, "Visio Plan 2", "none");
  await expectBox(page, "Microsoft 365 Copilot", "all");
  await page.getByText("Assign Microsoft 365 Copilot and Power BI Pro. Remove Visio Plan 2.", { exact: false }).waitFor();
  await page.getByRole("button", { name: "Preview changes" }).click();
  const preview = page.locator(".preview");
  await preview.waitFor();
  assert.match(await preview.textContent(), /Nothing has been saved yet/);
  assert.match(await preview.getByRole("list", { name: "Licenses short" }).textContent(), /Microsoft 365 Copilot: \d+ needed, 0 available — \d+ short/);
  const failing = await preview.getByRole("list", { name: "Users who would fail" }).textContent();
  assert.match(failing, /Megan Bowen: This user has no usage location/);
  assert.match(failing, /Adele Vance: Not enough Microsoft 365 Copilot licenses/);
  await at("preview");

  // The first Save's reply is lost on the way back; saving again replays, never reapplies.
  let lost = 0;
  await page.route("**/graphql", async (route) => {
    const body = route.request().postData() ?? "";
    if (lost === 0 && body.includes("idempotencyKey")) {
      lost += 1;
      await route.fetch(); // the server applies the Save…
      await route.abort("connectionreset"); // …and the browser never hears back.
      return;
    }
    await route.continue();
  });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Saving again is safe: this change is applied at most once.", { exact: false }).waitFor();
  await page.getByRole("button", { name: "Save", exact: true }).dblclick();
  await page.getByRole("heading", { name: "Licenses updated" }).waitFor();
  await page.unroute("**/graphql");
  assert.equal(lost, 1);

  // 6. Licenses updated: every user, their licenses, every error in words.
  const result = (name) => page.locator("li.result").filter({ has: page.getByRole("heading", { name }) });
  assert.match(await result("Alex Wilber").textContent(), /Updated.*Power BI Pro/);
  assert.match(await result("Adele Vance").textContent(), /Not changed: failed.*Not enough Microsoft 365 Copilot licenses: this save needed \d+ new, only 0 were free/);
  assert.match(await result("Megan Bowen").textContent(), /This user has no usage location/);
  await at("results");

  // Fix the location (a careless value first), buy Copilot licenses, retry the failed only.
  const location = page.getByLabel("Usage location (two letters, such as US)");
  await location.fill("ZZ");
  await page.getByRole("button", { name: "Set usage location" }).click();
  await page.getByRole("alert").filter({ hasText: "not an ISO 3166-1 alpha-2" }).waitFor();
  await location.fill("us");
  await page.getByRole("button", { name: "Set usage location" }).click();
  await page.getByText("Usage location set to US for Megan Bowen", { exact: false }).waitFor();
  const failedBefore = await page.locator("li.result-failed").count();
  await goTo(page, "Manage licenses");
  const copilot = product(page, "Microsoft 365 Copilot");
  await copilot.getByRole("button", { name: "Buy more" }).click();
  await copilot.getByLabel("Licenses of Microsoft 365 Copilot to buy").fill("5");
  await copilot.getByRole("button", { name: "Buy", exact: true }).click();
  await copilot.getByText("5 available").waitFor();
  await goTo(page, "Licenses updated");
  await page.getByRole("button", { name: `Retry the failed users only (${failedBefore})` }).click();
  await page.getByText("Retry of the failed users:", { exact: false }).waitFor();
  assert.equal(await page.locator("li.result").count(), failedBefore);
  assert.equal(await result("Alex Wilber").count(), 0, "only the failed users are retried");
  assert.match(await result("Adele Vance").textContent(), /Updated.*Microsoft 365 Copilot/);
  assert.doesNotMatch(await result("Megan Bowen").textContent(), /usage location/);
  await at("retried");

  // The change log, newest first.
  await goTo(page, "Change log");
  const rows = page.locator("table.log tbody tr");
  await rows.first().waitFor();
  const log = await names(rows);
  assert.match(log[0], /License (assigned|removed)/, "the retry is the newest change");
  const alexPowerBi = log.filter((row) => /License assigned.*Alex Wilber.*Power BI Pro/.test(row));
  assert.equal(alexPowerBi.length, 1, "the Save was applied once despite the lost reply");
  assert.ok(log.some((row) => /Usage location set.*Megan Bowen/.test(row)));
  assert.ok(log.some((row) => /Licenses bought.*Microsoft 365 Copilot/.test(row)));
  assert.ok(log.findIndex((r) => /Licenses bought/.test(r)) < log.findIndex((r) => /Usage location set/.test(r)));
  await at("change-log");

  // Sign out: the token leaves the tab.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Access token").waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
}
