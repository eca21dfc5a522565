/**
 * MicroProfile Health checks: readiness of the database, and a startup check that the schema is
 * migrated.
 */
package dev.sluice.app.internal.health;
