// The few shapes of @datadog/pprof the agent uses, declared here so that the agent's published
// types stand alone: @datadog/pprof is an optional peer, and a TypeScript user of proflens/agent
// without it must not need skipLibCheck. test/agent-types.test.ts checks both that @datadog/pprof
// fits these shapes and that the emitted declarations compile without it.

/** A source mapper of @datadog/pprof: made by its SourceMapper.create, handed back to its profilers. */
export type SourceMapper = object;

/** A profile of @datadog/pprof: what its profilers return and its encode takes, never read here. */
export type PprofProfile = object;

/** The options of @datadog/pprof's time.start that the agent sets. */
export interface TimeProfilerOptions {
  intervalMicros?: number;
  sourceMapper?: SourceMapper;
  lineNumbers?: boolean;
  withContexts?: boolean;
  collectCpuTime?: boolean;
}

/** PprofModule is the part of @datadog/pprof's module the agent calls. */
export interface PprofModule {
  readonly time: {
    start(options?: TimeProfilerOptions): void;
    stop(): PprofProfile;
    isStarted(): boolean;
  };
  readonly heap: {
    start(intervalBytes: number, stackDepth: number): void;
    profile(ignoreSamplePath?: string, sourceMapper?: SourceMapper): PprofProfile;
    stop(): void;
  };
  encode(profile: PprofProfile): Promise<Uint8Array>;
  readonly SourceMapper: { create(searchDirs: string[]): Promise<SourceMapper> };
}
