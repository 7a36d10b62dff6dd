// licgraph's GraphiQL: every asset comes from this origin (no CDN), and the Headers editor
// opens pre-filled so a new user sees where the bearer token goes.
(function () {
  "use strict";

  var DEFAULT_QUERY = [
    "# Welcome to licgraph.",
    "#",
    "# 1. Get a token: `licgraph token create --role reader`",
    "#    (`licgraph serve --demo` prints one per role).",
    '# 2. Paste it after "Bearer " in Headers, below.',
    "# 3. Run this query (Ctrl-Enter), then re-fetch the",
    "#    schema (the circular arrows) for Docs and completion.",
    "",
    "query Viewer {",
    "  viewer {",
    "    name",
    "    role",
    "    partnerWide",
    "  }",
    "}",
    "",
  ].join("\n");

  var DEFAULT_HEADERS = '{\n  "Authorization": "Bearer "\n}';

  // The page is served at the GraphQL endpoint itself; drop any query string.
  var endpoint = window.location.origin + window.location.pathname;

  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: endpoint }),
      defaultQuery: DEFAULT_QUERY,
      defaultHeaders: DEFAULT_HEADERS,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: "headers",
      // Tokens are secrets: keep them out of localStorage.
      shouldPersistHeaders: false,
    }),
  );
})();
