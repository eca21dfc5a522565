package dev.sluice.agents.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.agents.ChatMessage;
import dev.sluice.agents.ModelReply;
import dev.sluice.agents.ModelRequest;
import dev.sluice.agents.TokenCount;
import dev.sluice.agents.ToolCall;
import dev.sluice.agents.ToolSpec;
import dev.sluice.core.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic messages with tool use ({@code POST /v1/messages}). With prompt caching on, a request marks
 * two cache breakpoints: the end of the system prompt (so the tools and the system prompt, identical in
 * every call of a role, are read from the cache) and the end of the conversation so far (so the next
 * call of the same run reads its whole prefix from the cache).
 */
final class AnthropicProvider extends HttpModelProvider {
    private final String apiKey;
    private final String version;
    private final boolean caching;

    AnthropicProvider(HttpClient http, String baseUrl, String apiKey, String version, Duration timeout,
            boolean caching) {
        super(http, baseUrl, "/v1/messages", timeout);
        this.apiKey = apiKey;
        this.version = version;
        this.caching = caching;
    }

    private static ObjectNode ephemeral() {
        return Json.object().put("type", "ephemeral");
    }

    @Override
    public String id() {
        return "anthropic";
    }

    @Override
    void authorize(HttpRequest.Builder request) {
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("x-api-key", apiKey);
        }
        request.header("anthropic-version", version);
    }

    @Override
    String errorMessage(JsonNode body) {
        return text(body.path("error").path("message"));
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        ObjectNode body = Json.object().put("model", request.model()).put("max_tokens", request.maxTokens());
        boolean system = request.system() != null && !request.system().isBlank();
        if (system && caching) {
            body.putArray("system").addObject().put("type", "text").put("text", request.system())
                    .set("cache_control", ephemeral());
        } else if (system) {
            body.put("system", request.system());
        }
        ArrayNode messages = body.putArray("messages");
        ArrayNode pendingResults = null; // consecutive tool results travel in one user message
        for (ChatMessage m : request.messages()) {
            if (m.kind() == ChatMessage.Kind.TOOL_RESULT) {
                if (pendingResults == null) {
                    pendingResults = messages.addObject().put("role", "user").putArray("content");
                }
                ObjectNode r = pendingResults.addObject().put("type", "tool_result").put("tool_use_id", m.toolCallId())
                        .put("content", m.text());
                if (m.error()) {
                    r.put("is_error", true);
                }
                continue;
            }
            pendingResults = null;
            if (m.kind() == ChatMessage.Kind.USER) {
                messages.addObject().put("role", "user").put("content", m.text());
            } else {
                ArrayNode content = messages.addObject().put("role", "assistant").putArray("content");
                if (m.text() != null && !m.text().isEmpty()) {
                    content.addObject().put("type", "text").put("text", m.text());
                }
                for (ToolCall c : m.toolCalls()) {
                    content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name())
                            .set("input", c.arguments());
                }
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec t : request.tools()) {
                ObjectNode tool = tools.addObject().put("name", t.name());
                if (t.description() != null && !t.description().isEmpty()) {
                    tool.put("description", t.description());
                }
                tool.set("input_schema", t.inputSchema());
            }
            if (caching && !system) {
                ((ObjectNode) tools.get(tools.size() - 1)).set("cache_control", ephemeral());
            }
        }
        if (caching && !messages.isEmpty()) {
            markEnd((ObjectNode) messages.get(messages.size() - 1));
        }
        JsonNode answer = post(body);
        if (!answer.path("content").isArray()) {
            throw new ModelUnavailableException("anthropic answered without a content array", null);
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : answer.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> calls.add(new ToolCall(block.path("id").asText(), block.path("name").asText(),
                        block.get("input") instanceof ObjectNode o ? o : Json.object(),
                        block.get("input") instanceof ObjectNode ? null : "the input is not a JSON object"));
                default -> { } // thinking and other blocks are not part of the answer
            }
        }
        JsonNode usage = answer.get("usage");
        // input_tokens are those after the last cache breakpoint; the prompt is all three together
        TokenCount count = usage == null || !usage.isObject() ? null
                : new TokenCount(usage.path("input_tokens").asLong() + usage.path("cache_creation_input_tokens").asLong()
                        + usage.path("cache_read_input_tokens").asLong(), usage.path("output_tokens").asLong(), "provider",
                        usage.path("cache_read_input_tokens").asLong());
        return new ModelReply(text.toString(), calls, count, text(answer.get("stop_reason")));
    }

    /** Puts a cache breakpoint on a message's last content block (a text message becomes one text block). */
    private static void markEnd(ObjectNode message) {
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            ArrayNode blocks = Json.array();
            blocks.addObject().put("type", "text").put("text", content.asText());
            message.set("content", blocks);
            content = blocks;
        }
        if (content instanceof ArrayNode blocks && !blocks.isEmpty()) {
            ((ObjectNode) blocks.get(blocks.size() - 1)).set("cache_control", ephemeral());
        }
    }
}
