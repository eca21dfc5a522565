package dev.sluice.app.internal.mcp.stateless;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InputExchangeTest {
    private final InputExchange exchange = new InputExchange("sluice-state", "ada", "tools/call", "x__ask",
            IntNode.valueOf(1));

    private static ObjectNode elicit(String message) {
        return Json.object().put("message", message);
    }

    @Test
    void anUpstreamRequestEndsTheRoundAsInputRequired() throws Exception {
        CompletableFuture<ObjectNode> round = exchange.currentRound();
        CompletableFuture<ObjectNode> answer = exchange.ask("elicitation/create", elicit("name?"));

        ObjectNode result = (ObjectNode) round.get().get("result");
        assertThat(round.get().path("id").asInt()).isEqualTo(1);
        assertThat(result.path("resultType").asText()).isEqualTo("input_required");
        assertThat(result.path("requestState").asText()).isEqualTo("sluice-state~1");
        assertThat(exchange.current("sluice-state~1")).isTrue();
        assertThat(result.path("inputRequests").path("input-1").path("method").asText()).isEqualTo("elicitation/create");
        assertThat(result.path("inputRequests").path("input-1").path("params").path("message").asText()).isEqualTo("name?");
        assertThat(answer).isNotDone();
    }

    @Test
    void theRetryAnswersTheUpstreamAndItsRoundEndsWithTheFinalAnswer() throws Exception {
        CompletableFuture<ObjectNode> answer = exchange.ask("elicitation/create", elicit("name?"));
        ObjectNode responses = Json.object();
        responses.putObject("input-1").put("action", "accept").putObject("content").put("name", "ada");

        CompletableFuture<ObjectNode> next = exchange.resume(IntNode.valueOf(2), responses);

        assertThat(answer.get().path("result").path("content").path("name").asText()).isEqualTo("ada");
        assertThat(next).isNotDone();
        exchange.finish(JsonRpc.result(IntNode.valueOf(1), Json.object().put("resultType", "complete")));
        assertThat(next.get().path("id").asInt()).as("the retry's id").isEqualTo(2);
        assertThat(next.get().path("result").path("resultType").asText()).isEqualTo("complete");
        assertThat(exchange.finished()).isTrue();
    }

    @Test
    void whatTheRetryLeavesUnansweredIsAskedAgainAndUnknownKeysAreIgnored() throws Exception {
        exchange.ask("elicitation/create", elicit("first?"));
        CompletableFuture<ObjectNode> second = exchange.ask("sampling/createMessage", Json.object());
        ObjectNode responses = Json.object();
        responses.putObject("input-1").put("action", "decline");
        responses.putObject("input-99").put("action", "accept");

        CompletableFuture<ObjectNode> next = exchange.resume(IntNode.valueOf(2), responses);

        ObjectNode again = (ObjectNode) next.get().get("result");
        assertThat(again.path("resultType").asText()).isEqualTo("input_required");
        assertThat(again.path("requestState").asText()).as("each round its own state").isEqualTo("sluice-state~2");
        assertThat(exchange.current("sluice-state~1")).as("the first round's state is spent").isFalse();
        assertThat(again.path("inputRequests").has("input-1")).isFalse();
        assertThat(again.path("inputRequests").path("input-2").path("method").asText()).isEqualTo("sampling/createMessage");
        assertThat(second).isNotDone();
    }

    @Test
    void aCallThatFinishesBeforeTheRetryHandsItsAnswerToTheRetry() throws Exception {
        exchange.ask("elicitation/create", elicit("name?"));
        exchange.finish(JsonRpc.result(IntNode.valueOf(1), Json.object().put("resultType", "complete")));

        CompletableFuture<ObjectNode> next = exchange.resume(IntNode.valueOf(3), Json.object());
        assertThat(next.get().path("id").asInt()).isEqualTo(3);
        assertThat(next.get().path("result").path("resultType").asText()).isEqualTo("complete");
    }

    @Test
    void severalRequestsOfOneUpstreamRoundAreOneRoundUnderTheUpstreamsKeys() throws Exception {
        CompletableFuture<ObjectNode> round = exchange.currentRound();
        Map<String, ObjectNode> asked = new LinkedHashMap<>();
        asked.put("user_name", Json.object().put("method", "elicitation/create").set("params", elicit("name?")));
        asked.put("summary", Json.object().put("method", "sampling/createMessage").set("params", Json.object()));
        asked.put("where", Json.object().put("method", "roots/list"));
        CompletableFuture<Map<String, ObjectNode>> answers = exchange.askAll(asked);

        ObjectNode requests = (ObjectNode) round.get().path("result").path("inputRequests");
        assertThat(requests.fieldNames()).toIterable().containsExactly("user_name", "summary", "where");
        assertThat(requests.path("user_name").path("params").path("message").asText()).isEqualTo("name?");
        ObjectNode responses = Json.object();
        responses.putObject("user_name").put("action", "accept");
        responses.putObject("summary").put("model", "m");
        responses.putObject("where").putArray("roots");
        exchange.resume(IntNode.valueOf(2), responses);
        assertThat(answers.get().keySet()).containsExactly("user_name", "summary", "where");
        assertThat(answers.get().get("summary").path("result").path("model").asText()).isEqualTo("m");
    }

    @Test
    void aSameCallCheckBindsTheStateToItsMethodAndName() {
        assertThat(exchange.sameCall("tools/call", "x__ask")).isTrue();
        assertThat(exchange.sameCall("tools/call", "x__other")).isFalse();
        assertThat(exchange.sameCall("prompts/get", "x__ask")).isFalse();
    }
}
