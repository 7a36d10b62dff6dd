// licgraph's GraphiQL: every asset comes from this origin (no CDN). It opens with the
// example operations as tabs (with their variables) and the Headers editor pre-filled, so a
// new user sees where the bearer token goes; under `licgraph serve --demo` the admin demo
// token is already there. The server writes the configuration into the page as JSON data.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("licgraph-graphiql-config").textContent);

  // A new tab ("+") starts here.
  var NEW_TAB_QUERY = [
    "# A new tab. The tabs to the left are the example operations of the",
    "# seed's flow (examples/ in the repository), in order; Viewer checks your token.",
    "",
    "query Viewer {",
    "  viewer {",
    "    name",
    "    role",
    "  }",
    "}",
    "",
  ].join("\n");

  // With a token in the page, nothing is kept in the browser: a reload shows the examples
  // with the token again (GraphiQL never stores headers, so stored tabs would lose it).
  function memoryStorage() {
    var items = {};
    return {
      getItem: function (key) {
        return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : null;
      },
      setItem: function (key, value) {
        items[key] = String(value);
      },
      removeItem: function (key) {
        delete items[key];
      },
      clear: function () {
        items = {};
      },
      get length() {
        return Object.keys(items).length;
      },
    };
  }

  // The page is served at the GraphQL endpoint itself; drop any query string.
  var endpoint = window.location.origin + window.location.pathname;
  // Subscriptions go over a WebSocket to the same endpoint (graphql-transport-ws, the
  // graphql-ws client inside GraphiQL's bundle); GraphiQL sends the Headers editor's JSON as
  // the connection_init payload, which is where the server reads the token.
  var subscriptionUrl = endpoint.replace(/^http/, "ws");

  var props = {
    fetcher: GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: subscriptionUrl }),
    defaultTabs: config.tabs,
    defaultQuery: NEW_TAB_QUERY,
    defaultHeaders: config.headers,
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: "headers",
    // Tokens are secrets: keep them out of localStorage.
    shouldPersistHeaders: false,
  };
  if (!config.persistTabs) {
    props.storage = memoryStorage();
  }

  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, props));
})();
