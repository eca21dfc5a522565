package dev.sluice.app.internal.mcp.stateless;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exchanges' calls run on the executor they are given (the container's managed one when deployed). */
class InputExchangesTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final InputExchanges exchanges = new InputExchanges();

    InputExchangesTest() {
        exchanges.runCallsOn(pool);
    }

    @AfterEach
    void shutDown() {
        pool.shutdownNow();
    }

    @Test
    void aCallRunsApartAndItsAnswerEndsTheFirstRound() throws Exception {
        InputExchange exchange = exchanges.open("ada", "tools/call", "x__ask", IntNode.valueOf(1));
        exchanges.run(exchange, IntNode.valueOf(1), () -> JsonRpc.result(IntNode.valueOf(1),
                Json.object().put("resultType", "complete")));

        ObjectNode answer = exchange.currentRound().get(5, TimeUnit.SECONDS);
        assertThat(answer.path("result").path("resultType").asText()).isEqualTo("complete");
        assertThat(exchange.finished()).isTrue();
    }

    @Test
    void aCallThatFailsIsAnsweredWithAnInternalError() throws Exception {
        InputExchange exchange = exchanges.open("ada", "tools/call", "x__ask", IntNode.valueOf(7));
        exchanges.run(exchange, IntNode.valueOf(7), () -> {
            throw new IllegalStateException("boom");
        });

        ObjectNode answer = exchange.currentRound().get(5, TimeUnit.SECONDS);
        assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32603);
        assertThat(answer.path("id").asInt()).isEqualTo(7);
    }

    @Test
    void stoppingInterruptsTheCallsStillRunning() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        InputExchange exchange = exchanges.open("ada", "tools/call", "x__ask", IntNode.valueOf(1));
        exchanges.run(exchange, IntNode.valueOf(1), () -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return Json.object();
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        exchanges.stop();

        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
