// The seed's flow through @urql/core against a real licgraph server, with the documents of
// examples/ as generated typed document nodes. Run by tests/e2e/test_js_client.py:
//   LICGRAPH_URL=http://127.0.0.1:8000/graphql LICGRAPH_TOKEN=lg_... node --test dist/client/flow.test.js
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  ChangeLogPageDocument,
  CustomersPageDocument,
  DryRunSaveDocument,
  ManageLicensesDocument,
  SaveLicensesDocument,
  SetUsageLocationDocument,
  UsersPageDocument,
  ViewerDocument,
  type SaveLicensesMutation,
} from "../generated/graphql.js";
import { LicgraphClient } from "./licgraph.js";

type Result = SaveLicensesMutation["updateLicenses"]["results"][number];
type LicenseError = Result["errors"][number];

const client = new LicgraphClient(required("LICGRAPH_URL"), required("LICGRAPH_TOKEN"));

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`set ${name}`);
  }
  return value;
}

/** What a frontend offers for each error: the branch is on `__typename`, checked exhaustively. */
function remedy(error: LicenseError): string {
  switch (error.__typename) {
    case "InsufficientLicensesError":
      return `buy ${error.requested - error.available} more ${error.product.name}`;
    case "UsageLocationRequiredError":
      return `set a usage location for ${error.userId}`;
    case "ProductUnavailableInLocationError":
      return `${error.product.name} is not sold in ${error.usageLocation}`;
    case "MissingDependencyError":
      return `assign one of ${error.requiredProducts.map((p) => p.name).join(", ")} first`;
    case "DependentLicenseError":
      return `revoke ${error.dependentProducts.map((p) => p.name).join(", ")} too`;
    case "MutuallyExclusiveLicensesError":
      return `drop ${error.conflictingProducts.map((p) => p.name).join(", ")}`;
    case "InvalidServicePlanError":
      return `plans ${error.servicePlanIds.join(", ")} are not in ${error.product.name}`;
    case "ServicePlanDependencyError":
      return `keep ${error.requiredServicePlans.map((p) => p.name).join(", ")} enabled`;
    case "UserNotFoundError":
      return `no user ${error.userId}`;
    case "ProductNotFoundError":
      return `no product ${error.productId}`;
    case "InheritedLicenseError":
      return `${error.product.name} comes from ${error.groups.map((g) => g.name).join(", ")}`;
    default: {
      // A new error type in the schema fails compilation here until it is handled.
      const unhandled: never = error;
      return unhandled;
    }
  }
}

test("page users, read the tri-state, dry-run, save, branch on errors, read the change log", async () => {
  const viewer = (await client.query(ViewerDocument, {})).viewer;
  assert.equal(viewer.role, "ADMIN_AGENT");

  // 1. Customers: choose Contoso.
  const customers = (await client.query(CustomersPageDocument, { first: 20 })).customers;
  const contoso = customers.edges.find((edge) => edge.node.name === "Contoso Ltd.")?.node;
  assert.ok(contoso, "the demo data has Contoso");
  const customerId = contoso.id;

  // 2. Users: the first page and the next one of located users, one user without a location.
  const located = { hasUsageLocation: true };
  const first = await client.query(UsersPageDocument, { customerId, first: 25, filter: located });
  const firstPage = first.customer?.users;
  assert.ok(firstPage?.pageInfo.hasNextPage);
  const next = await client.query(UsersPageDocument, {
    customerId,
    first: 25,
    after: firstPage.pageInfo.endCursor,
    filter: located,
  });
  const unlocated = await client.query(UsersPageDocument, {
    customerId,
    first: 1,
    filter: { hasUsageLocation: false },
  });
  const secondPage = next.customer?.users.nodes ?? [];
  const nowhere = unlocated.customer?.users.nodes[0];
  assert.ok(nowhere && secondPage.length > 0);
  const ticked = [...firstPage.nodes.slice(0, 2), secondPage[0]!, nowhere];
  const userIds = ticked.map((user) => user.id);

  // 3 + 4. The selection in list order and every product's tri-state for it.
  const panel = (await client.query(ManageLicensesDocument, { customerId, userIds })).customer;
  assert.ok(panel);
  assert.equal(panel.usersByIds.length, userIds.length);
  for (const product of panel.products) {
    const holders = product.assignedUsers.length;
    const expected = holders === 0 ? "NONE" : holders === userIds.length ? "ALL" : "SOME";
    assert.equal(product.assignmentState, expected, product.name);
  }
  const powerBi = panel.products.find((product) => product.skuPartNumber === "POWER_BI_PRO");
  assert.ok(powerBi && powerBi.availableLicenses >= userIds.length);
  const assign = [{ productId: powerBi.id }];

  // 5. Dry run, then the Save: the same outcomes, only the Save writes.
  const preview = (await client.mutate(DryRunSaveDocument, { customerId, userIds, assign }))
    .updateLicenses;
  const input = { customerId, userIds, assign, idempotencyKey: "js-flow-save" };
  const saved = (await client.mutate(SaveLicensesDocument, { input })).updateLicenses;
  assert.equal(preview.applied, false);
  assert.equal(saved.applied, true);
  assert.deepEqual(
    saved.results.map((result) => result.status),
    preview.results.map((result) => result.status),
  );

  // 6. Branch on each error's __typename: the user without a location needs one.
  const failed = saved.results.filter((result) => result.status === "FAILED");
  assert.deepEqual(
    failed.map((result) => result.userId),
    [nowhere.id],
  );
  const remedies = failed.flatMap((result) => result.errors.map(remedy));
  assert.deepEqual(remedies, [`set a usage location for ${nowhere.id}`]);
  const fixed = await client.mutate(SetUsageLocationDocument, {
    input: { customerId, userIds: [nowhere.id], usageLocation: "US" },
  });
  assert.equal(fixed.setUsageLocation.results[0]?.status, "SUCCEEDED");
  const retried = await client.mutate(SaveLicensesDocument, {
    input: { ...input, idempotencyKey: "js-flow-save-after-fix" },
  });
  const statuses = retried.updateLicenses.results.map((result) => result.status);
  assert.deepEqual(statuses.at(-1), "SUCCEEDED");
  const after = (await client.query(ManageLicensesDocument, { customerId, userIds })).customer;
  const stateAfter = after?.products.find((p) => p.id === powerBi.id)?.assignmentState;
  assert.equal(stateAfter, "ALL");

  // The change log, newest first: the location, then every Power BI assignment.
  const log = await client.query(ChangeLogPageDocument, { customerId, first: 20 });
  const events = log.customer?.licenseEvents.nodes ?? [];
  const assigned = events
    .filter((event) => event.action === "ASSIGNED" && event.product?.id === powerBi.id)
    .map((event) => event.user?.id);
  const newlyAssigned = saved.results
    .concat(retried.updateLicenses.results)
    .filter((result) => result.status === "SUCCEEDED")
    .map((result) => result.userId);
  assert.deepEqual(new Set(assigned), new Set(newlyAssigned));
  assert.ok(events.some((event) => event.action === "USAGE_LOCATION_SET"));
  assert.ok(events.every((event) => event.actor.name === viewer.name));
});
