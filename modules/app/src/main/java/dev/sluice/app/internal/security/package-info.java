/**
 * The security module wired into the application: request authentication, access control over
 * calls and lists, the protected-resource metadata, the bootstrap owner key.
 */
package dev.sluice.app.internal.security;
