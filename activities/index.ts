// Every activity the moflow worker registers. Workflows import this module as types only.
export { describeWorker } from './ping.js';
