package dev.sluice.registry.internal;

import java.util.concurrent.ThreadFactory;

/**
 * Starts the long-lived threads that read from an upstream (a process's stdout and stderr, an event
 * stream): each named after what it reads, a daemon, and made by one {@link ThreadFactory}. In the
 * container that is the application's {@code ManagedThreadFactory}, so the threads carry the
 * application's context and are stopped with it; unit tests give a plain factory.
 */
final class ReaderThreads {
    private final ThreadFactory factory;

    ReaderThreads(ThreadFactory factory) {
        this.factory = factory;
    }

    /**
     * Starts {@code reader} on a thread of its own.
     *
     * @throws IllegalStateException when the factory gives no thread (the application is stopping)
     */
    Thread start(String name, Runnable reader) {
        Thread thread = factory.newThread(reader);
        if (thread == null) {
            throw new IllegalStateException("no thread for " + name + ": the application is stopping");
        }
        thread.setName(name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
