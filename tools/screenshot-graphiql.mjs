// Takes docs/screenshots/graphiql-manage-licenses.png: GraphiQL (as `licgraph serve --demo`
// serves it) after running the ManageLicenses example tab, in Debian's headless Chromium.
// Usage: node screenshot-graphiql.mjs GRAPHQL_URL OUTPUT.png  (tools/screenshot-graphiql
// starts the demo server and calls this).
import { chromium } from "playwright-core";

const [url, output] = process.argv.slice(2);
if (!url || !output) {
  console.error("usage: node screenshot-graphiql.mjs GRAPHQL_URL OUTPUT.png");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(url, { waitUntil: "networkidle" });
  await page.locator(".graphiql-tab-button", { hasText: "ManageLicenses" }).click();
  await page.locator(".graphiql-query-editor", { hasText: "query ManageLicenses" }).waitFor();
  // GraphiQL settles the operation name a moment after the editor changes (debounced);
  // a click faster than a person's would still send the previous tab's name.
  await page.waitForTimeout(1000);
  await page.locator(".graphiql-execute-button").click();
  // The answer is in once the response pane shows the customer's data (CodeMirror draws
  // only the lines in view, so look for the first ones).
  await page.locator(".graphiql-response", { hasText: "usersByIds" }).waitFor({ timeout: 30000 });
  const answer = await page.locator(".graphiql-response").innerText();
  if (answer.includes('"errors"')) {
    throw new Error(`ManageLicenses answered with errors:\n${answer.slice(0, 2000)}`);
  }
  await page.screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
}
