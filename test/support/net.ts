// Whether a server accepts TCP connections yet: the tests' daemons are ready when they do (the dev server's check).
export { accepts } from '../../src/util/ports.js';
