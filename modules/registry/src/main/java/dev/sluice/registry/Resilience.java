package dev.sluice.registry;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How calls to one upstream are guarded: retries of idempotent calls, a circuit breaker and a
 * bulkhead. A value holds only the settings someone wrote (the catalog entry, or configuration);
 * {@link #over} layers them, and {@link #DEFAULTS} fills the rest. The call timeout is the server's
 * {@code request-timeout}.
 *
 * @param values the settings given, each already checked
 */
public record Resilience(Map<Setting, String> values) {

    /** Every setting, by the dotted name the catalog (nested) and configuration (flat) use. */
    public enum Setting {
        /** Retries after the first attempt of an idempotent call that could not reach the upstream. */
        RETRY_MAX_RETRIES("retry.max-retries", "2", Kind.COUNT),
        /** Wait before the first retry; each further retry waits twice as long. */
        RETRY_DELAY("retry.delay", "PT0.2S", Kind.DURATION),
        /** The longest wait between two retries. */
        RETRY_MAX_DELAY("retry.max-delay", "PT2S", Kind.DURATION),
        /** Randomisation of each wait: 0.5 waits between half and one and a half times the delay. */
        RETRY_JITTER("retry.jitter", "0.5", Kind.FRACTION),
        /** Whether the server has a circuit breaker at all. */
        CIRCUIT_BREAKER_ENABLED("circuit-breaker.enabled", "true", Kind.BOOLEAN),
        /** The share of failed calls among the last {@code request-volume} that opens the circuit. */
        CIRCUIT_BREAKER_FAILURE_RATIO("circuit-breaker.failure-ratio", "0.5", Kind.FRACTION),
        /** How many of the latest calls the failure ratio is taken over (and the fewest it needs). */
        CIRCUIT_BREAKER_REQUEST_VOLUME("circuit-breaker.request-volume", "10", Kind.POSITIVE),
        /** How long an open circuit refuses calls before it lets probes through. */
        CIRCUIT_BREAKER_DELAY("circuit-breaker.delay", "PT30S", Kind.DURATION),
        /** Probe calls a half-open circuit lets through; it closes when they succeed. */
        CIRCUIT_BREAKER_SUCCESS_THRESHOLD("circuit-breaker.success-threshold", "2", Kind.POSITIVE),
        /** Calls to the server in flight at once on this node. */
        BULKHEAD_MAX_CONCURRENT("bulkhead.max-concurrent", "32", Kind.POSITIVE),
        /** How long a call waits for a free place before it is refused. */
        BULKHEAD_MAX_WAIT("bulkhead.max-wait", "PT1S", Kind.DURATION);

        private final String key;
        private final String fallback;
        private final Kind kind;

        Setting(String key, String fallback, Kind kind) {
            this.key = key;
            this.fallback = fallback;
            this.kind = kind;
        }

        /** The dotted name, e.g. {@code retry.max-retries}. */
        public String key() {
            return key;
        }

        /** The built-in default. */
        public String fallback() {
            return fallback;
        }

        /** The setting a dotted name names. */
        public static Optional<Setting> of(String key) {
            for (Setting s : values()) {
                if (s.key.equals(key)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }

        /**
         * Checks a value written for this setting.
         *
         * @return the value in its normal form
         * @throws IllegalArgumentException naming what is wrong
         */
        public String check(String value) {
            String v = value == null ? "" : value.trim();
            try {
                switch (kind) {
                    case COUNT -> range(Integer.parseInt(v), 0, 10, "a whole number from 0 to 10");
                    case POSITIVE -> range(Integer.parseInt(v), 1, 10_000, "a whole number from 1 to 10000");
                    case FRACTION -> {
                        double d = Double.parseDouble(v);
                        if (!(d >= 0 && d <= 1)) {
                            throw new IllegalArgumentException("'" + key + "' must be a number from 0 to 1, not '" + v + "'");
                        }
                    }
                    case BOOLEAN -> {
                        v = v.toLowerCase(Locale.ROOT);
                        if (!v.equals("true") && !v.equals("false")) {
                            throw new IllegalArgumentException("'" + key + "' must be true or false, not '" + value + "'");
                        }
                    }
                    case DURATION -> {
                        Duration d = Duration.parse(v);
                        if (d.isNegative()) {
                            throw new IllegalArgumentException("'" + key + "' must not be negative");
                        }
                    }
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + key + "' must be a number, not '" + value + "'");
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + key + "' must be an ISO-8601 duration such as PT2S, not '"
                        + value + "'");
            }
        }

        private void range(int n, int min, int max, String what) {
            if (n < min || n > max) {
                throw new IllegalArgumentException("'" + key + "' must be " + what + ", not " + n);
            }
        }
    }

    private enum Kind {
        COUNT,
        POSITIVE,
        FRACTION,
        BOOLEAN,
        DURATION
    }

    /** Nothing written. */
    public static final Resilience UNSET = new Resilience(Map.of());

    /** Every setting at its built-in default. */
    public static final Resilience DEFAULTS;

    static {
        Map<Setting, String> all = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            all.put(s, s.fallback);
        }
        DEFAULTS = new Resilience(all);
    }

    public Resilience {
        values = values == null || values.isEmpty() ? Map.of() : Map.copyOf(values);
    }

    /** These settings, and {@code base}'s where these say nothing. */
    public Resilience over(Resilience base) {
        Map<Setting, String> merged = new EnumMap<>(Setting.class);
        merged.putAll(base.values);
        merged.putAll(values);
        return new Resilience(merged);
    }

    /**
     * The settings a source of flat, dotted names gives under {@code prefix} (e.g. configuration's
     * {@code sluice.resilience.}), each checked.
     *
     * @throws IllegalArgumentException naming the first bad value
     */
    public static Resilience from(String prefix, Function<String, Optional<String>> source) {
        Map<Setting, String> found = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            Optional<String> v = source.apply(prefix + s.key);
            if (v.isPresent()) {
                try {
                    found.put(s, s.check(v.get()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(prefix + s.key + ": " + e.getMessage(), e);
                }
            }
        }
        return new Resilience(found);
    }

    private String raw(Setting s) {
        String v = values.get(s);
        return v == null ? s.fallback : v;
    }

    public int integer(Setting s) {
        return Integer.parseInt(raw(s));
    }

    public double fraction(Setting s) {
        return Double.parseDouble(raw(s));
    }

    public boolean flag(Setting s) {
        return Boolean.parseBoolean(raw(s));
    }

    public Duration duration(Setting s) {
        return Duration.parse(raw(s));
    }
}
