import type { Profile } from './model.js';
export function profileText(p: Profile): string { return String(p.samples.length); }
