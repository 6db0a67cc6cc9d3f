// Why attaching to a process failed, in one line for the user. A ProfileError, so the CLI prints
// it as a known failure (exit 1, no stack trace without --debug).

import { ProfileError } from '../profile/errors.js';

/** AttachError says why proflens could not profile a process by its PID. */
export class AttachError extends ProfileError {
  override name = 'AttachError';
}
