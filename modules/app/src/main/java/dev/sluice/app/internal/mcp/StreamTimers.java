package dev.sluice.app.internal.mcp;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The timers of every MCP call's answer stream (open it early, release it, probe it), scheduled and
 * cancelled once per request. Its two threads come from the container's {@link ManagedThreadFactory}
 * (they carry the application's context and are the container's), but a timer is a plain scheduled
 * task: a managed scheduler would capture and restore the context on every one of them, a cost the
 * hot path measurably paid (bench/mcp-latency.sh, 2026-12-07: about 200 µs of CPU per call).
 */
@ApplicationScoped
public class StreamTimers {

    @Resource
    ManagedThreadFactory threads;

    private ScheduledThreadPoolExecutor timer;

    @PostConstruct
    void start() {
        timer = new ScheduledThreadPoolExecutor(2, threads);
        timer.setRemoveOnCancelPolicy(true); // most timers are cancelled: the call ended first
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    public ScheduledFuture<?> schedule(Runnable task, long millis) {
        return timer.schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    public ScheduledFuture<?> every(Runnable task, long millis) {
        return timer.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }
}
