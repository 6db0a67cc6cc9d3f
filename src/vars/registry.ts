// The expvar-like registry: named variables a service publishes on /debug/vars, next to the
// runtime's own. Like Go's expvar, names are unique per registry and values are read when the
// document is asked for, never before, so publishing costs nothing until someone looks.

/** VarValue is what a variable reads as: anything JSON can hold. */
export type VarValue = unknown;

/** VarFunc computes a variable's value when /debug/vars is read; it must not block. */
export type VarFunc = () => VarValue;

/** Counter is a number that only moves by steps (Go's expvar.Int): requests, errors, bytes sent. */
export interface Counter {
  /** add moves the counter by delta (default 1). */
  add(delta?: number): void;
  /** set replaces the value. */
  set(value: number): void;
  /** value reads it. */
  value(): number;
}

/** Gauge is a number that is set to what it measures now (Go's expvar.Float): queue length, pool size. */
export interface Gauge {
  set(value: number): void;
  add(delta: number): void;
  value(): number;
}

/** VarMap is a set of named numbers under one variable (Go's expvar.Map): requests by route. */
export interface VarMap {
  /** add moves the entry by delta (default 1), creating it at 0 first. */
  add(key: string, delta?: number): void;
  set(key: string, value: VarValue): void;
  get(key: string): VarValue;
  delete(key: string): void;
  /** value reads the entries as an object with sorted keys, as Go prints a Map. */
  value(): Record<string, VarValue>;
}

/**
 * Registry holds published variables by name. Publishing a name twice throws, as Go's
 * expvar.Publish panics on reuse: two parts of a program silently sharing a name would make
 * both numbers wrong.
 */
export class Registry {
  readonly #vars = new Map<string, VarFunc>();

  /** publish makes fn's result appear under name on /debug/vars. */
  publish(name: string, fn: VarFunc): void {
    if (typeof name !== 'string' || name === '') throw new TypeError('publish: a variable needs a non-empty name');
    if (typeof fn !== 'function') throw new TypeError(`publish(${JSON.stringify(name)}): the value must be a function`);
    if (this.#vars.has(name)) throw new Error(`publish: reuse of exported var name: ${name}`);
    this.#vars.set(name, fn);
  }

  /** unpublish removes a variable (for tests and for parts of a service that shut down). */
  unpublish(name: string): boolean {
    return this.#vars.delete(name);
  }

  /** counter publishes and returns a new counter starting at 0. */
  counter(name: string): Counter {
    let v = 0;
    const c: Counter = {
      add: (d = 1) => void (v += d),
      set: (x) => void (v = x),
      value: () => v,
    };
    this.publish(name, c.value);
    return c;
  }

  /** gauge publishes and returns a new gauge starting at 0. */
  gauge(name: string): Gauge {
    let v = 0;
    const g: Gauge = {
      set: (x) => void (v = x),
      add: (d) => void (v += d),
      value: () => v,
    };
    this.publish(name, g.value);
    return g;
  }

  /** map publishes and returns a new, empty map. */
  map(name: string): VarMap {
    const entries = new Map<string, VarValue>();
    const m: VarMap = {
      add: (key, d = 1) => {
        const old = entries.get(key);
        entries.set(key, (typeof old === 'number' ? old : 0) + d);
      },
      set: (key, value) => void entries.set(key, value),
      get: (key) => entries.get(key),
      delete: (key) => void entries.delete(key),
      value: () => Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    };
    this.publish(name, m.value);
    return m;
  }

  /** names lists the published names, sorted. */
  names(): string[] {
    return [...this.#vars.keys()].sort();
  }

  /** get returns the function published under name. */
  get(name: string): VarFunc | undefined {
    return this.#vars.get(name);
  }
}

/** defaultRegistry is the process-wide registry the agent serves unless given another. */
export const defaultRegistry = new Registry();

/** publish adds a variable to the default registry (Go's expvar.Publish with a Func). */
export const publish = (name: string, fn: VarFunc): void => defaultRegistry.publish(name, fn);
/** unpublish removes a variable from the default registry. */
export const unpublish = (name: string): boolean => defaultRegistry.unpublish(name);
/** counter creates a counter in the default registry (Go's expvar.NewInt). */
export const counter = (name: string): Counter => defaultRegistry.counter(name);
/** gauge creates a gauge in the default registry (Go's expvar.NewFloat). */
export const gauge = (name: string): Gauge => defaultRegistry.gauge(name);
/** map creates a map in the default registry (Go's expvar.NewMap). */
export const map = (name: string): VarMap => defaultRegistry.map(name);
