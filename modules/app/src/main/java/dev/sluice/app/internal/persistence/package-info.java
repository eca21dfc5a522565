/**
 * The schema: Flyway applies the SQL migrations of {@code db-migrations/} when the application
 * starts, before anything else touches the database, and refuses to start on an edited applied one.
 */
package dev.sluice.app.internal.persistence;
