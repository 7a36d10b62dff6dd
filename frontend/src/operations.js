// The app speaks only through the example operations the API ships (src/licgraph/examples/),
// the same documents GraphiQL opens and the generated TypeScript client is typed from.
export { default as VIEWER } from "../../src/licgraph/examples/Viewer.graphql";
export { default as CUSTOMERS_PAGE } from "../../src/licgraph/examples/CustomersPage.graphql";
export { default as USERS_PAGE } from "../../src/licgraph/examples/UsersPage.graphql";
export { default as MANAGE_LICENSES } from "../../src/licgraph/examples/ManageLicenses.graphql";
export { default as SAVE_LICENSES } from "../../src/licgraph/examples/SaveLicenses.graphql";
export { default as PURCHASE_LICENSES } from "../../src/licgraph/examples/PurchaseLicenses.graphql";
export { default as SET_USAGE_LOCATION } from "../../src/licgraph/examples/SetUsageLocation.graphql";
export { default as CHANGE_LOG_PAGE } from "../../src/licgraph/examples/ChangeLogPage.graphql";
