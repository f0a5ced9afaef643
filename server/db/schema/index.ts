export * from './org.js';
export * from './auth.js';
export * from './audit.js';
export * from './problems.js';
export * from './files.js';
export * from './notifications.js';
export * from './frameworks.js';
export * from './citizen.js';
