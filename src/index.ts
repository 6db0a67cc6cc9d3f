// proflens as a library: decode, encode and report on pprof profiles.

export type { Profile, ValueType, Mapping, SampleTable, LocationTable, FunctionTable, LabelTable } from './profile/model.js';
export { parseProfile, isGzip } from './profile/parse.js';
export { encodeProfile, encodeProfileProto } from './profile/encode.js';
export { ProfileError, UsageError } from './profile/errors.js';
export { type Config, defaultConfig } from './driver/config.js';
export { loadProfile, generateView, type View, type ViewResult } from './driver/driver.js';
export type { TopRow, TopView } from './report/top.js';
