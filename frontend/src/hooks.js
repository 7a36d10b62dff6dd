// How screens reach the API: through the session, so that a token that stops working
// anywhere sends the person back to sign-in with the reason.
import { createContext } from "preact";
import { useCallback, useContext, useEffect, useState } from "preact/hooks";
import { SignedOut, graphql } from "./api.js";

/** `{ viewer, end(message) }` of the signed-in person. */
export const Session = createContext(null);

/** `request(document, variables)`; a SignedOut ends the session before it is rethrown. */
export function useRequest() {
  const session = useContext(Session);
  return useCallback(
    async (document, variables) => {
      try {
        return await graphql(document, variables);
      } catch (error) {
        if (error instanceof SignedOut) session.end(error.message);
        throw error;
      }
    },
    [session],
  );
}

/**
 * A query's `{ data, error, loading, reload }`; the previous data stays on screen while
 * the next answer loads (the region says so with aria-busy). `loading` is true from the
 * very render whose variables differ from those of the data shown.
 */
export function useQuery(document, variables) {
  const request = useRequest();
  const key = JSON.stringify(variables);
  const [state, setState] = useState({ data: null, error: null, loading: true, key: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, error: null, loading: true }));
    request(document, variables).then(
      (data) => current && setState({ data, error: null, loading: false, key }),
      (error) =>
        current &&
        !(error instanceof SignedOut) &&
        setState((previous) => ({ ...previous, error, loading: false, key })),
    );
    return () => {
      current = false;
    };
  }, [document, key, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const { data, error } = state;
  return { data, error, loading: state.loading || state.key !== key, reload };
}

/** `[run, { busy, error }]` for a mutation or other action started by a click. */
export function useAction(action) {
  const [state, setState] = useState({ busy: false, error: null });
  const run = async (...args) => {
    setState({ busy: true, error: null });
    try {
      const value = await action(...args);
      setState({ busy: false, error: null });
      return value;
    } catch (error) {
      setState({ busy: false, error: error instanceof SignedOut ? null : error });
      return undefined;
    }
  };
  return [run, state];
}
