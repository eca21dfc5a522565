/**
 * Implementations of the security API (token verification, key hashing, rule evaluation). Not
 * exported: nothing outside this module may depend on them.
 */
package dev.sluice.security.internal;
