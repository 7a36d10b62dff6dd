import { render } from "preact";
import { App } from "./App.jsx";

// The page holds a loading line until the app starts: replace it, do not append.
const root = document.getElementById("app");
root.replaceChildren();
render(<App />, root);
