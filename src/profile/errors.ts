/** ProfileError says why a profile could not be read or processed; its message is one line. */
export class ProfileError extends Error {
  override name = 'ProfileError';
}

/**
 * ExecutableError says that a source is an executable, not a profile: pprof's users name the
 * program before the profile, which proflens does not need (it never symbolizes).
 */
export class ExecutableError extends ProfileError {
  override name = 'ExecutableError';

  constructor(
    readonly source: string,
    readonly format: string,
  ) {
    super(`${source}: an executable (${format}), not a profile; proflens needs no executable: give the profile alone`);
  }
}

/** UsageError says that options or arguments given to proflens do not make sense. */
export class UsageError extends Error {
  override name = 'UsageError';
}
