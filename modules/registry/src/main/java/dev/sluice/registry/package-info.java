/**
 * The registry API: the catalog ({@link dev.sluice.registry.Catalog}, server definitions, virtual
 * servers, run-time changes), federated names ({@link dev.sluice.registry.QualifiedName}) and
 * federation ({@link dev.sluice.registry.Federation}), and the upstream connections
 * ({@link dev.sluice.registry.Upstreams}: both protocol eras, health, status).
 */
package dev.sluice.registry;
