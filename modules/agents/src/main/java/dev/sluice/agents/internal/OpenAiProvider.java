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
 * OpenAI chat completions with function tools ({@code POST /v1/chat/completions}); also the API of
 * local model servers (Ollama, vLLM, llama.cpp) that speak it, with or without a key.
 */
final class OpenAiProvider extends HttpModelProvider {
    private final String apiKey;

    OpenAiProvider(HttpClient http, String baseUrl, String apiKey, Duration timeout) {
        super(http, baseUrl, "/v1/chat/completions", timeout);
        this.apiKey = apiKey;
    }

    @Override
    public String id() {
        return "openai";
    }

    @Override
    void authorize(HttpRequest.Builder request) {
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
    }

    @Override
    String errorMessage(JsonNode body) {
        return text(body.path("error").path("message"));
    }

    static boolean reasoningModel(String model) {
        return model.matches("(o\\d|gpt-5).*");
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        ObjectNode body = Json.object().put("model", request.model());
        // reasoning models take only max_completion_tokens; other models (and local servers) know max_tokens
        body.put(reasoningModel(request.model()) ? "max_completion_tokens" : "max_tokens", request.maxTokens());
        ArrayNode messages = body.putArray("messages");
        if (request.system() != null && !request.system().isBlank()) {
            messages.addObject().put("role", "system").put("content", request.system());
        }
        for (ChatMessage m : request.messages()) {
            switch (m.kind()) {
                case USER -> messages.addObject().put("role", "user").put("content", m.text());
                case TOOL_RESULT -> messages.addObject().put("role", "tool").put("tool_call_id", m.toolCallId())
                        .put("content", m.text());
                case ASSISTANT -> {
                    ObjectNode a = messages.addObject().put("role", "assistant");
                    if (m.text() == null || m.text().isEmpty()) {
                        a.putNull("content");
                    } else {
                        a.put("content", m.text());
                    }
                    if (!m.toolCalls().isEmpty()) {
                        ArrayNode calls = a.putArray("tool_calls");
                        for (ToolCall c : m.toolCalls()) {
                            ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
                            call.putObject("function").put("name", c.name()).put("arguments", Json.write(c.arguments()));
                        }
                    }
                }
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec t : request.tools()) {
                ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                fn.put("name", t.name());
                if (t.description() != null && !t.description().isEmpty()) {
                    fn.put("description", t.description());
                }
                fn.set("parameters", t.inputSchema());
            }
        }
        JsonNode answer = post(body);
        JsonNode message = answer.path("choices").path(0).path("message");
        if (message.isMissingNode()) {
            throw new ModelUnavailableException("openai answered without choices[0].message", null);
        }
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode c : message.path("tool_calls")) {
            String raw = c.path("function").path("arguments").asText("");
            ObjectNode args = Json.object();
            String malformed = null;
            if (!raw.isBlank()) {
                try {
                    JsonNode parsed = Json.parse(raw);
                    if (parsed instanceof ObjectNode o) {
                        args = o;
                    } else {
                        malformed = "the arguments are not a JSON object";
                    }
                } catch (RuntimeException e) {
                    malformed = "the arguments are not valid JSON";
                }
            }
            calls.add(new ToolCall(c.path("id").asText(), c.path("function").path("name").asText(), args, malformed));
        }
        JsonNode usage = answer.get("usage");
        TokenCount count = usage == null || !usage.isObject() ? null
                : new TokenCount(usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong(), "provider",
                        usage.path("prompt_tokens_details").path("cached_tokens").asLong()); // prompts of 1,024+ tokens
        return new ModelReply(text(message.get("content")), calls, count,
                text(answer.path("choices").path(0).get("finish_reason")));
    }
}
