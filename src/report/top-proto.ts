import type { Profile } from '../profile/model.js';
import type { Report } from './report.js';
export function topProto(rpt: Report): Profile { return rpt.profile; }
