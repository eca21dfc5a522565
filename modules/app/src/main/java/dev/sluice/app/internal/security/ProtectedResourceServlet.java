package dev.sluice.app.internal.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.http.JsonResponses;
import dev.sluice.core.Json;
import dev.sluice.security.Authenticator;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for the MCP endpoints, where the MCP
 * authorization specification sends clients that got a 401: which authorization servers issue
 * tokens for Sluice and how to present them. {@code /.well-known/oauth-protected-resource} describes
 * {@code /mcp}; {@code /.well-known/oauth-protected-resource/mcp/<name>} a virtual server.
 */
@WebServlet(urlPatterns = {RequestAuthentication.WELL_KNOWN, RequestAuthentication.WELL_KNOWN + "/*"})
public class ProtectedResourceServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    transient RequestAuthentication authentication;

    @Inject
    transient Authenticator authenticator;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String suffix = req.getPathInfo() == null ? "" : req.getPathInfo();
        String resource = suffix.isEmpty() || "/".equals(suffix) ? "/mcp" : suffix;
        if (!resource.equals("/mcp") && !resource.matches("/mcp/[a-z0-9](?:-?[a-z0-9])*")) {
            resp.sendError(404);
            return;
        }
        ObjectNode body = Json.object();
        body.put("resource", authentication.baseUrl(req) + resource);
        var servers = body.putArray("authorization_servers");
        authenticator.authorizationServers().forEach(servers::add);
        body.putArray("bearer_methods_supported").add("header");
        body.put("resource_name", "Sluice MCP gateway");
        body.put("resource_documentation", authentication.baseUrl(req) + "/openapi/ui");
        resp.setHeader("Cache-Control", "max-age=300");
        JsonResponses.write(resp, 200, body);
    }
}
