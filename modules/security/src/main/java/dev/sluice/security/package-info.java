/**
 * The security API other modules use: the {@link dev.sluice.security.Role} ladder today, and the
 * authenticator, the authoriser and the argument validator as the security capability lands.
 */
package dev.sluice.security;
