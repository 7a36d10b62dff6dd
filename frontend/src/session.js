// The access token lives in session storage only: it goes when the tab closes or on sign out,
// and never reaches local storage, cookies or the URL.
const KEY = "licgraph.token";

export function loadToken() {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token) {
  sessionStorage.setItem(KEY, token.trim());
}

export function clearToken() {
  sessionStorage.removeItem(KEY);
}
