// Debian's Chromium driven by playwright-core (the test tools' own browser downloads fail
// here), a fresh profile per launch, and the checks every screen gets: axe-core, the
// page's content security policy, and that nothing leaves the server's origin.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
const CHROMIUM = process.env.LICGRAPH_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // Offline on purpose: no host but the loopback server resolves.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
];
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** The server under test and its tokens, from the environment tests/e2e/test_app_page.py sets. */
export const server = {
  url: process.env.LICGRAPH_URL,
  adminToken: process.env.LICGRAPH_ADMIN_TOKEN,
  readerToken: process.env.LICGRAPH_READER_TOKEN,
  helpdeskToken: process.env.LICGRAPH_HELPDESK_TOKEN,
  globalAdminToken: process.env.LICGRAPH_GLOBAL_ADMIN_TOKEN,
  revokedName: process.env.LICGRAPH_REVOKABLE_NAME,
  revokedToken: process.env.LICGRAPH_REVOKABLE_TOKEN,
  expiredToken: process.env.LICGRAPH_EXPIRED_TOKEN,
};
export const noServer = server.url ? false : "LICGRAPH_URL is not set (tests/e2e/test_app_page.py sets it)";

/**
 * A browser with a fresh profile and one page at `viewport`; `close()` ends both. `seen`
 * records policy violations, requests that left the server's origin and uncaught errors.
 */
export async function openBrowser(viewport = DESKTOP) {
  const profile = await mkdtemp(join(tmpdir(), "licgraph-app-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const seen = { violations: [], foreign: [], errors: [] };
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) seen.violations.push(message.text());
  });
  page.on("pageerror", (error) => seen.errors.push(error.message));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(`${server.url}/`) && !url.startsWith("data:")) seen.foreign.push(url);
  });
  const close = async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  };
  const assertClean = () => {
    assert.deepEqual(seen.violations, [], "content security policy violations");
    assert.deepEqual(seen.foreign, [], "requests to another origin");
    assert.deepEqual(seen.errors, [], "uncaught errors in the page");
  };
  return { page, close, assertClean, seen };
}

/** Waits until no region of the screen is loading. */
export async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
}

/**
 * axe-core on the page as it is now; fails on a serious or critical violation and returns
 * every violation as `{ id, impact, nodes }` (the report lists the minor ones too).
 */
export async function axe(page, screen) {
  // Evaluated through the DevTools protocol, which the page's policy does not govern.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const { violations } = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ["violations"] }),
  );
  const found = violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  console.log(`axe ${screen}: ${JSON.stringify(found)}`);
  const blocking = found.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(blocking, [], `serious or critical axe-core violations on ${screen}`);
  return found;
}

/** Runs one of the example operations (src/licgraph/examples/NAME.graphql) over HTTP. */
export async function example(name, variables, token = server.adminToken) {
  const document = await readFile(new URL(`../../src/licgraph/examples/${name}.graphql`, import.meta.url), "utf8");
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: document, variables }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

export async function signIn(page, token) {
  await page.goto(`${server.url}/app/`);
  await page.getByLabel("Access token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

export async function openCustomer(page, name) {
  await page.getByRole("button", { name, exact: true }).click();
  await page.getByRole("heading", { name: "Users and licenses" }).waitFor();
  await page.locator("table.users tbody tr").first().waitFor();
  await settled(page);
}
