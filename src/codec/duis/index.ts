// DUIS (DCC User Interface Specification, SEC Appendix AD): typed requests, responses and alerts over the XML tree.
export * from './common.js';
export * from './srv.js';
export { isLeaf, type DuisBodyElement, type DuisBranch, type DuisLeaf } from './tree.js';
export * from './request.js';
export * from './bodies.js';
export * from './response.js';
export * from './response-codes.js';
