// Every workflow the moflow worker runs; the worker bundles this file (src/temporal/worker.ts).
// Workflow code is deterministic orchestration only: no I/O, no Node builtins, activities as types.
export { ping } from './ping.js';
export type { PingInput, PingResult } from './ping.js';
export { opusSync } from './opusSync.js';
export type { OpusSyncInput, OpusSyncResult } from './opusSync.js';
export { opusImportDump } from './opusImportDump.js';
export type { ImportDumpInput } from './opusImportDump.js';
export { opusComputePrimary } from './opusComputePrimary.js';
export type { ComputePrimaryInput } from './opusComputePrimary.js';
export { opusReimportEmployee } from './opusReimportEmployee.js';
export type { ControlState } from './opusReimportEmployee.js';
export { plan2learnExport } from './plan2learnExport.js';
export type { Plan2LearnExportInput, Plan2LearnExportResult } from './plan2learnExport.js';
export { opusDriftCheck } from './opusDrift.js';
export type { DriftCheckWorkflowInput } from './opusDrift.js';
