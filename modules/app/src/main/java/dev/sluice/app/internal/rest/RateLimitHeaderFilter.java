package dev.sluice.app.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.app.internal.pipeline.ToolCallPipeline;
import dev.sluice.core.Call;
import dev.sluice.core.CallResult;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/**
 * Puts the {@code RateLimit-*} headers of a REST call that went through the pipeline on its
 * response: the rate-limit step leaves them on the call's result, {@link #run} on the request, and
 * this filter on the response. A refusal's headers ({@code Retry-After} too) come from its error data
 * ({@link Problems}).
 */
@Provider
public class RateLimitHeaderFilter implements ContainerResponseFilter {
    private static final String HEADERS = RateLimitHeaderFilter.class.getName() + ".headers";

    /** Runs a REST request's call and keeps its rate-limit headers for the response. */
    static JsonNode run(ToolCallPipeline pipeline, Call call, HttpServletRequest request) {
        CallResult result = pipeline.run(call);
        request.setAttribute(HEADERS, result.headers());
        return result.result();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(HEADERS) instanceof Map<?, ?> headers) {
            ((Map<String, String>) headers).forEach((name, value) -> response.getHeaders().putSingle(name, value));
        }
    }
}
