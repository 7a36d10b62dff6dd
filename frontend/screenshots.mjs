// Drives the app through the same flow as the browser test and saves a full-page
// screenshot of every screen (and the users list at a phone's width) into the folder given
// as the first argument. `./take-screenshots` starts the demo server this needs.
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PHONE, openBrowser, openCustomer, server, signIn } from "./tests/browser.mjs";
import { manageLicensesFlow } from "./tests/flow.mjs";

const out = resolve(process.argv[2] ?? "../docs/screenshots");
await mkdir(out, { recursive: true });
let taken = 0;

async function photograph(page, screen) {
  taken += 1;
  const path = join(out, `${String(taken).padStart(2, "0")}-${screen}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`saved ${path}`);
}

const desktop = await openBrowser();
try {
  await manageLicensesFlow(desktop.page, (screen) => photograph(desktop.page, screen));
} finally {
  await desktop.close();
}

const phone = await openBrowser(PHONE);
try {
  await signIn(phone.page, server.adminToken);
  await openCustomer(phone.page, "Contoso Ltd.");
  await photograph(phone.page, "users-phone");
} finally {
  await phone.close();
}
