// Small controls the screens share.
import { useLayoutEffect, useRef, useState } from "preact/hooks";

/** A check box with three states: "all" (ticked), "some" (indeterminate), "none". */
export function TriStateBox({ state, id, onChange, disabled, label }) {
  const box = useRef(null);
  // `indeterminate` exists only as a DOM property; set it before the box is painted.
  useLayoutEffect(() => {
    box.current.indeterminate = state === "some";
  }, [state]);
  return (
    <input
      ref={box}
      type="checkbox"
      id={id}
      aria-label={label}
      checked={state === "all"}
      disabled={disabled}
      onChange={onChange}
    />
  );
}

/** A failure the person should read: announced, with the server's words. */
export function Problem({ error }) {
  if (!error) return null;
  return (
    <p class="problem" role="alert">
      {error.message}
    </p>
  );
}

/** A labelled search box that searches when submitted (Enter or the button). */
export function SearchForm({ label, value, onSearch, id }) {
  const [text, setText] = useState(value ?? "");
  const submit = (event) => {
    event.preventDefault();
    onSearch(text.trim() || null);
  };
  return (
    <form class="search" role="search" onSubmit={submit}>
      <label for={id}>{label}</label>
      <input id={id} type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <button type="submit">Search</button>
    </form>
  );
}

/** First / Previous / Next / Last (any of them may be left out). */
export function Pager({ label, buttons }) {
  return (
    <nav class="pager" aria-label={label}>
      {buttons.map(({ text, onClick, enabled }) => (
        <button type="button" key={text} onClick={onClick} disabled={!enabled}>
          {text}
        </button>
      ))}
    </nav>
  );
}
