/**
 * The security API: authentication
 * ({@link dev.sluice.security.Authenticator}: JWTs and API keys, {@link dev.sluice.security.KeyGrants}),
 * authorisation ({@link dev.sluice.security.Authorizer}, {@link dev.sluice.security.Authorization}) and
 * argument validation ({@link dev.sluice.security.ArgumentValidator}, the SQL guard
 * {@link dev.sluice.security.SqlPolicy}, {@link dev.sluice.security.CommandArguments}).
 */
package dev.sluice.security;
