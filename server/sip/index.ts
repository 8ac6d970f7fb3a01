// Public surface of the SIP edge.
export { startSipEdge, type SipEdge, type SipEdgeDeps } from './edge.js';
