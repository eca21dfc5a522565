/**
 * What every HTTP response of Sluice gets, whatever answered it: security headers, the CORS
 * allow-list (preflights from unknown origins refused) and the request body limit.
 */
package dev.sluice.app.internal.http;
