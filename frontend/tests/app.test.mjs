// The Manage licenses app in headless Chromium against a real server with the demo data
// (started by tests/e2e/test_app_page.py, which passes its URL and tokens).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { promisify } from "node:util";
import {
  PHONE,
  axe,
  example,
  noServer,
  openBrowser,
  openCustomer,
  server,
  settled,
  signIn,
} from "./browser.mjs";
import { manageLicensesFlow } from "./flow.mjs";

const run = promisify(execFile);
const SESSION_ENDED = /Your session has ended: the token has expired, was revoked or is not valid/;

test("an admin agent does the whole job, every screen passing axe-core", { skip: noServer }, async () => {
  const browser = await openBrowser();
  try {
    await manageLicensesFlow(browser.page, (screen) => axe(browser.page, screen));
    browser.assertClean();
  } catch (error) {
    await browser.page.screenshot({ path: "test-failure.png", fullPage: true });
    throw error;
  } finally {
    await browser.close();
  }
});

test("a reader sees licenses but no Save, Preview or Buy more", { skip: noServer }, async () => {
  const { page, close, assertClean } = await openBrowser();
  try {
    await signIn(page, server.readerToken);
    await openCustomer(page, "Contoso Ltd.");
    await page.getByRole("checkbox", { name: "Select Alex Wilber" }).check();
    await page.getByRole("button", { name: "Manage licenses of the selected users" }).click();
    await page.locator("li.product").first().waitFor();
    await settled(page);
    await page.getByText("Your role can look at licenses but not change them.").waitFor();
    for (const name of ["Save", "Preview changes", "Buy more"]) {
      assert.equal(await page.getByRole("button", { name, exact: true }).count(), 0, name);
    }
    assert.equal(await page.getByRole("checkbox", { name: "Microsoft 365 Copilot" }).isDisabled(), true);
    await axe(page, "manage (reader)");
    assertClean();
  } finally {
    await close();
  }
});

test("a helpdesk agent may change licenses but not buy more", { skip: noServer }, async () => {
  const { page, close, assertClean } = await openBrowser();
  try {
    await signIn(page, server.helpdeskToken);
    await openCustomer(page, "Contoso Ltd.");
    await page.getByRole("checkbox", { name: "Select Alex Wilber" }).check();
    await page.getByRole("button", { name: "Manage licenses of the selected users" }).click();
    await page.locator("li.product").first().waitFor();
    await settled(page);
    await page.getByRole("button", { name: "Preview changes" }).waitFor();
    assert.equal(await page.getByRole("checkbox", { name: "Power BI Pro" }).isDisabled(), false);
    assert.equal(await page.getByRole("button", { name: "Buy more" }).count(), 0);
    assertClean();
  } finally {
    await close();
  }
});

test("a customer's own admin lands on that customer, with no other to choose", { skip: noServer }, async () => {
  const { page, close, assertClean } = await openBrowser();
  try {
    await signIn(page, server.globalAdminToken);
    await page.getByRole("heading", { name: "Users and licenses" }).waitFor();
    await page.locator("table.users tbody tr").first().waitFor();
    assert.match(await page.locator("header").textContent(), /Global admin.*Contoso Ltd\./);
    const screens = page.getByRole("navigation", { name: "Screens" });
    assert.equal(await screens.getByRole("button", { name: "Customers" }).isDisabled(), true);
    assertClean();
  } finally {
    await close();
  }
});

test("the change log pages from newest to older and back", { skip: noServer }, async () => {
  // Given 30 changes to Fabrikam: one usage location set on each of its first 30 users.
  const { customers } = await example("CustomersPage", { search: "Fabrikam" });
  const fabrikam = customers.edges[0].node;
  const { customer } = await example("UsersPage", { customerId: fabrikam.id, first: 30 });
  const userIds = customer.users.nodes.map((user) => user.id);
  await example("SetUsageLocation", { input: { customerId: fabrikam.id, userIds, usageLocation: "SE" } });
  const { page, close, assertClean } = await openBrowser();
  try {
    await signIn(page, server.adminToken);
    await openCustomer(page, "Fabrikam, Inc.");
    await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: "Change log" }).click();
    const rows = page.locator("table.log tbody tr");
    await rows.nth(19).waitFor();
    const total = Number((await page.locator(".count").textContent()).match(/^(\d+) changes/)[1]);
    assert.ok(total >= 30, `${total} changes`);
    const newest = await rows.allTextContents();
    const pages = page.getByRole("navigation", { name: "Change log pages" });
    assert.equal(await pages.getByRole("button", { name: "Newer" }).isDisabled(), true);
    await pages.getByRole("button", { name: "Older" }).click();
    await page.waitForFunction((count) => document.querySelectorAll("table.log tbody tr").length === count, Math.min(20, total - 20));
    const older = await rows.allTextContents();
    assert.equal(older.filter((row) => newest.includes(row)).length, 0, "no change shown twice");
    await pages.getByRole("button", { name: "Newer" }).click();
    await rows.nth(19).waitFor();
    assert.deepEqual(await rows.allTextContents(), newest);
    await axe(page, "change log (second page)");
    assertClean();
  } finally {
    await close();
  }
});

test("careless input gets a plain answer and changes nothing", { skip: noServer }, async () => {
  const { page, close, assertClean } = await openBrowser();
  try {
    await page.goto(`${server.url}/app/`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Paste an access token first." }).waitFor();
    await page.getByLabel("Access token").fill("lg_not_a_token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "That token was not accepted" }).waitFor();
    await signIn(page, server.adminToken);
    await openCustomer(page, "Contoso Ltd.");
    await page.getByLabel("Usage location").fill("1!");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("No user matches.").waitFor();
    assert.match(await page.locator(".count").textContent(), /^0 users/);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.getByText(/^300 users/).waitFor();
    await page.getByLabel("Search users").fill('<img src=x onerror="window.injected = 1">');
    await page.getByRole("search").getByRole("button", { name: "Search" }).click();
    await page.getByText("No user matches.").waitFor();
    assert.equal(await page.evaluate(() => "injected" in window), false);
    assertClean();
  } finally {
    await close();
  }
});

test("a token revoked during the session lands on sign-in with the reason", { skip: noServer }, async () => {
  const { page, close } = await openBrowser();
  try {
    await signIn(page, server.revokedToken);
    await page.getByRole("button", { name: "Contoso Ltd.", exact: true }).waitFor();
    await run(process.env.LICGRAPH_CLI, ["token", "revoke", "--name", server.revokedName]);
    await page.getByRole("button", { name: "Contoso Ltd.", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: SESSION_ENDED }).waitFor();
    await page.getByLabel("Access token").waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, "the token is forgotten");
    await axe(page, "sign-in (session ended)");
  } finally {
    await close();
  }
});

test("an expired token is refused at sign-in and ends a session on reload", { skip: noServer }, async () => {
  const { page, close } = await openBrowser();
  try {
    await page.goto(`${server.url}/app/`);
    await page.getByLabel("Access token").fill(server.expiredToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "That token was not accepted: it is unknown, expired or revoked." }).waitFor();
    // A tab that still holds it (it expired while the tab was open) is sent to sign-in.
    await page.evaluate((token) => sessionStorage.setItem("licgraph.token", token), server.expiredToken);
    await page.reload();
    await page.getByRole("alert").filter({ hasText: SESSION_ENDED }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  } finally {
    await close();
  }
});

test("at phone width nothing overflows and the screens pass axe-core", { skip: noServer }, async () => {
  const { page, close, assertClean } = await openBrowser(PHONE);
  try {
    await signIn(page, server.adminToken);
    await openCustomer(page, "Contoso Ltd.");
    await axe(page, "users (phone)");
    await page.getByRole("checkbox", { name: "Select Adele Vance" }).check();
    await page.getByRole("button", { name: "Manage licenses of the selected users" }).click();
    await page.locator("li.product").first().waitFor();
    await settled(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    await axe(page, "manage (phone)");
    assertClean();
  } finally {
    await close();
  }
});

test("keyboard only: sign in, reach the controls, see where the focus is", { skip: noServer }, async () => {
  const { page, close } = await openBrowser();
  try {
    await page.goto(`${server.url}/app/`);
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id), "token");
    await page.keyboard.type(server.adminToken);
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Contoso Ltd.", exact: true }).waitFor();
    await page.getByRole("button", { name: "Contoso Ltd.", exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.locator("table.users tbody tr").first().waitFor();
    await settled(page);
    // Tab to the first user's box, tick it with Space; its outline shows where focus is.
    await page.getByRole("checkbox", { name: "Select all on this page" }).focus();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space");
    assert.equal(await page.getByRole("checkbox", { name: "Select Adele Vance" }).isChecked(), true);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none", "the focused control has a visible outline");
  } finally {
    await close();
  }
});

test("the harness would see a policy violation and a foreign request", { skip: noServer }, async () => {
  // Without this, a change in how Chromium reports them would make the checks above vacuous.
  const { page, close, assertClean, seen } = await openBrowser();
  try {
    await page.route(`${server.url}/app/harness-check`, (route) =>
      route.fulfill({
        contentType: "text/html",
        headers: { "Content-Security-Policy": "script-src 'self'" },
        body: "<script>document.title = 'ran'</script><img src='http://cdn.example/x.png' alt=''>",
      }),
    );
    await page.goto(`${server.url}/app/harness-check`);
    await page.waitForTimeout(500);
    assert.notEqual(await page.title(), "ran");
    assert.equal(seen.violations.length, 1, "the inline script was refused and reported");
    assert.deepEqual(seen.foreign, ["http://cdn.example/x.png"]);
    assert.throws(assertClean);
  } finally {
    await close();
  }
});
