package dev.sluice.app.internal.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Failed authentications per client address, in fixed windows: how many an address may have before
 * it is refused with 429 without its credentials being looked at, and which of its failures are
 * audited one by one (the first {@code audited} of a window) and which only counted, in one summary
 * per address and window. IPv6 addresses count by their /64 network (one host has many addresses).
 * At most {@link #MAX_ADDRESSES} addresses are tracked; failures from further addresses while that
 * many are are counted together (audited as such) and are never throttled, so that a flood from
 * many addresses neither fills the audit table nor locks out every new client.
 */
final class FailedAuthentications {
    static final int MAX_ADDRESSES = 10_000;
    /** The key that failures from addresses past {@link #MAX_ADDRESSES} share. */
    static final String MANY = "(many addresses)";

    /** A window that ended with failures that were only counted, or refusals: one audit summary. */
    record Summary(String address, Instant from, Instant until, int failures, int unrecorded, int throttled) {
    }

    private static final class Window {
        final Instant start;
        int failures;
        int throttled;

        Window(Instant start) {
            this.start = start;
        }
    }

    private final int limit;
    private final Duration window;
    private final int audited;
    private final Clock clock;
    private final Map<String, Window> windows = new HashMap<>();
    private final List<Summary> ended = new ArrayList<>();

    /**
     * @param limit failures an address may have in a window; the next request is refused (0: never)
     * @param window the window's length
     * @param audited failures of an address in a window that are audited one by one
     */
    FailedAuthentications(int limit, Duration window, int audited, Clock clock) {
        this.limit = Math.max(0, limit);
        this.window = window.isZero() || window.isNegative() ? Duration.ofMinutes(1) : window;
        this.audited = Math.max(0, audited);
        this.clock = clock;
    }

    Duration window() {
        return window;
    }

    /**
     * Before a request's credentials are looked at.
     *
     * @return how long the address must wait, or {@link Duration#ZERO} when it may go on
     */
    synchronized Duration throttled(String address) {
        if (limit == 0) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        Window w = current(networkOf(address), now, false);
        if (w == null || w.failures < limit) { // addresses past MAX_ADDRESSES have none: never throttled
            return Duration.ZERO;
        }
        w.throttled++;
        Duration left = Duration.between(now, w.start.plus(window));
        return left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left;
    }

    /**
     * After credentials were refused.
     *
     * @return whether this failure is to be audited one by one (else it is counted in a summary)
     */
    synchronized boolean failed(String address) {
        Window w = current(networkOf(address), clock.instant(), true);
        w.failures++;
        return w.failures <= audited;
    }

    /** The summaries of windows that have ended since the last call (the caller audits them). */
    List<Summary> drain() {
        return drain(clock.instant());
    }

    /** The summaries of windows ended by {@code now} ({@link Instant#MAX}: all of them, at shutdown). */
    synchronized List<Summary> drain(Instant now) {
        drainEnded(now);
        List<Summary> out = List.copyOf(ended);
        ended.clear();
        return out;
    }

    private Window current(String key, Instant now, boolean create) {
        Window w = windows.get(key);
        if (w != null && !w.start.plus(window).isAfter(now)) {
            end(key, w);
            windows.remove(key);
            w = null;
        }
        if (w == null && create) {
            String k = key;
            if (windows.size() >= MAX_ADDRESSES) {
                drainEnded(now);
                if (windows.size() >= MAX_ADDRESSES) {
                    k = MANY;
                    w = windows.get(MANY);
                }
            }
            if (w == null) {
                w = new Window(now);
                windows.put(k, w);
            }
        }
        return w;
    }

    private void drainEnded(Instant now) {
        windows.entrySet().removeIf(e -> {
            boolean over = !e.getValue().start.plus(window).isAfter(now);
            if (over) {
                end(e.getKey(), e.getValue());
            }
            return over;
        });
    }

    private void end(String key, Window w) {
        int unrecorded = Math.max(0, w.failures - audited);
        if (unrecorded > 0 || w.throttled > 0) {
            ended.add(new Summary(key, w.start, w.start.plus(window), w.failures, unrecorded, w.throttled));
        }
    }

    /** An IPv4 address as it is; an IPv6 address as its /64 network. */
    static String networkOf(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                    : address;
            int zone = literal.indexOf('%');
            byte[] bytes = InetAddress.getByName(zone >= 0 ? literal.substring(0, zone) : literal).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            String hex = HexFormat.of().formatHex(bytes, 0, 8);
            return hex.substring(0, 4) + ":" + hex.substring(4, 8) + ":" + hex.substring(8, 12) + ":"
                    + hex.substring(12, 16) + "::/64";
        } catch (UnknownHostException | RuntimeException e) {
            return address;
        }
    }
}
