/**
 * Implementations of the security API (JWT verification, API-key hashing and storage, the SQL guard's
 * PostgreSQL lexer and query check) and the pipeline's authorisation, validation and masking steps.
 * Not exported.
 */
package dev.sluice.security.internal;
