// Where a fetched trace was saved, for answers that print the next commands to run: they should
// name the saved file, not the URL (the service may be gone, and fetching again takes --seconds).

import type { Trace } from '../src/trace/model.js';

/** savedTraces maps a trace read from a URL to the file it was saved in. */
export const savedTraces = new WeakMap<Trace, string>();
