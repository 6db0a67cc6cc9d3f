/** ProfileError says why a profile could not be read or processed; its message is one line. */
export class ProfileError extends Error {
  override name = 'ProfileError';
}

/** UsageError says that options or arguments given to proflens do not make sense. */
export class UsageError extends Error {
  override name = 'UsageError';
}
