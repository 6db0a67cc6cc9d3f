// Building elements for the pages: every string becomes text (textContent), never markup, so
// strings from a profile or a trace cannot inject anything.

/** el builds an element: `text` becomes its textContent, `class` its class, `onX` a listener, the rest attributes. */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** fetchJSON gets a URL's JSON; an error answer (or a body with `error`) throws with its message. */
export async function fetchJSON(url) {
  const res = await fetch(url);
  const body = await res.json();
  if (!res.ok || body.error) throw new Error(body.error || `${url}: HTTP ${res.status}`);
  return body;
}

/** showError shows an error in the page's #error box, or hides the box when there is none. */
export function showError(e) {
  const box = document.querySelector('#error');
  box.hidden = !e;
  box.textContent = e ? String(e.message || e) : '';
}
