package dev.sluice.app.internal.rest;

import dev.sluice.app.internal.pipeline.RateLimitHeaders;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Puts the {@code RateLimit-*} headers (and {@code Retry-After} on a 429) of a REST call that went
 * through the pipeline on its response.
 */
@Provider
public class RateLimitHeaderFilter implements ContainerRequestFilter, ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        RateLimitHeaders.reset();
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        RateLimitHeaders.take().forEach((name, value) -> response.getHeaders().putSingle(name, value));
    }
}
