// proflens/agent: /debug/pprof and /debug/vars for a Node service, the way a Go service gets
// them from net/http/pprof and expvar. This entry point loads the agent and the variables
// registry only: no command line, report, graph or web code.

export { createAgent, listen, type Agent, type AgentServer, type ListenOptions } from './agent.js';
export type { AgentOptions } from './options.js';
export { isLoopback } from './access.js';
export { MissingProfiler } from './profilers.js';
export {
  Registry,
  defaultRegistry,
  publish,
  unpublish,
  counter,
  gauge,
  map,
  type Counter,
  type Gauge,
  type VarMap,
  type VarFunc,
  type VarValue,
} from '../vars/registry.js';
