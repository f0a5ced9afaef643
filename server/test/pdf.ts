// The demo seed's well-formed PDF builder, shared with the tests.
export { minimalPdf } from '../db/seed/demo-pdf.js';
