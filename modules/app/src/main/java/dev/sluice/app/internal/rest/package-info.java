/**
 * REST resources under {@code /api/v1} and the exception mappers that turn every failure into an
 * RFC 9457 {@code application/problem+json} answer.
 */
package dev.sluice.app.internal.rest;
