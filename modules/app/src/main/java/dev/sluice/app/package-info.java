/**
 * The application's entry points: {@link dev.sluice.app.SluiceApplication} roots the REST API at
 * {@code /api/v1} and carries the OpenAPI description of the whole API.
 */
package dev.sluice.app;
