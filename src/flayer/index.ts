/** The F-Layer projection (methods.md §3): closed-form ECP for one attribute, and the multi-set solver. */
export { projectEcp, projectEcpWithSolution } from './ecp.js';
export { projectEcpHost, solveEcpMeans, type EcpSide, type EcpSolution } from './ecp-host.js';
export { projectFair, projectFairWithSolution } from './project.js';
export { projectHost, type ActiveSetForm, type MultiSolution, type SolverOptions } from './solver-host.js';
export type { AttributeGroups, FairSetSpec, LinearRow } from './constraints.js';
