// Runs graphql-http's GraphQL-over-HTTP server audits against a running licgraph.
//
//   node tests/http_audit/audit.mjs URL TOKEN
//
// Prints one line per audit and a final "N passed, M failed" line; exits 1 on any failure.
// Every request carries `Authorization: Bearer TOKEN`: licgraph answers 401 before GraphQL
// to callers without one.
import { serverAudits } from "graphql-http";

const [url, token] = process.argv.slice(2);
if (!url || !token) {
  console.error("usage: node audit.mjs URL TOKEN");
  process.exit(2);
}

function fetchWithToken(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

const audits = serverAudits({ url, fetchFn: fetchWithToken });
let failed = 0;
for (const audit of audits) {
  const result = await audit.fn();
  if (result.status === "ok") {
    console.log(`ok    ${result.id} ${result.name}`);
  } else {
    failed += 1;
    const body = await result.response.text().catch(() => "<unreadable body>");
    console.log(`FAIL  ${result.id} ${result.name}: ${result.reason} [${result.status}] ${body}`);
  }
}
console.log(`${audits.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
