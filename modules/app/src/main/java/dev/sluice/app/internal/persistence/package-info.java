/**
 * The schema: Flyway applies the SQL migrations of {@code db-migrations/} when the application
 * starts, before anything else touches the database, and refuses to start on an edited applied one.
 * The modules' entities and repositories live in their modules; the persistence unit lists them.
 */
package dev.sluice.app.internal.persistence;
