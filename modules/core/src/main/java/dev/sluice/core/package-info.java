/**
 * Values and contracts shared by every module: {@link dev.sluice.core.ErrorKind} and
 * {@link dev.sluice.core.SluiceException}, the one error family of Sluice. A module that fails
 * throws a {@code SluiceException}; the REST layer turns it into {@code application/problem+json}
 * and the MCP endpoint into a JSON-RPC error, both from the same {@code ErrorKind}.
 */
package dev.sluice.core;
