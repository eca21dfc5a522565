/**
 * The security module wired into the application: request authentication (and the audit of its
 * refusals, throttled per address), what lists show to a caller, the protected-resource metadata,
 * the bootstrap owner key. Calls are authorised by the pipeline's step, not here.
 */
package dev.sluice.app.internal.security;
