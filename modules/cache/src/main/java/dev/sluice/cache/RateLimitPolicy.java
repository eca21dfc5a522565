package dev.sluice.cache;

import dev.sluice.core.Caller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which budgets a call spends from, as configuration states them: one per user (its size may
 * depend on the caller's role), one per organisation (when the caller's token names one), and one
 * per user and tool for every tool override that matches the call.
 *
 * <p>Overrides are written {@code name=limit}: roles as {@code admin=1000} or
 * {@code owner=unlimited}; tools as {@code server/tool=limit} with {@code *} matching any run of
 * characters ({@code postgres/*=50}); the first matching tool override applies.
 */
public final class RateLimitPolicy {
    /** The integration plan's limits: 100 calls a minute per user, 1,000 per organisation. */
    public static final int DEFAULT_PER_USER = 100;
    public static final int DEFAULT_PER_ORGANISATION = 1000;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    private static final int UNLIMITED = Integer.MAX_VALUE;

    private final boolean enabled;
    private final Duration window;
    private final int perUser;
    private final int perOrganisation;
    private final Map<String, Integer> perRole;
    private final List<ToolLimit> perTool;

    private record ToolLimit(String pattern, Pattern regex, int limit) {
    }

    /**
     * @param perUser calls per window per user; {@code 0} or less: no user limit
     * @param perOrganisation calls per window per organisation; {@code 0} or less: none
     * @param roleOverrides {@code role=limit} items
     * @param toolOverrides {@code server/tool=limit} items
     * @throws IllegalArgumentException naming the item that is not well formed
     */
    public RateLimitPolicy(boolean enabled, Duration window, int perUser, int perOrganisation,
            List<String> roleOverrides, List<String> toolOverrides) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("sluice.rate-limit.window must be a positive duration such as PT1M");
        }
        this.enabled = enabled;
        this.window = window;
        this.perUser = perUser <= 0 ? UNLIMITED : perUser;
        this.perOrganisation = perOrganisation <= 0 ? UNLIMITED : perOrganisation;
        this.perRole = new LinkedHashMap<>();
        for (String item : roleOverrides) {
            String[] kv = split(item, "sluice.rate-limit.roles", "role=limit, e.g. admin=1000");
            perRole.put(kv[0].toLowerCase(Locale.ROOT), limit(kv[1], "sluice.rate-limit.roles", item));
        }
        this.perTool = new ArrayList<>();
        for (String item : toolOverrides) {
            String[] kv = split(item, "sluice.rate-limit.tools", "server/tool=limit, e.g. postgres/query=20");
            if (!kv[0].contains("/")) {
                throw new IllegalArgumentException("sluice.rate-limit.tools: '" + item
                        + "' must name server/tool (use server/* for every tool of a server)");
            }
            perTool.add(new ToolLimit(kv[0], glob(kv[0]), limit(kv[1], "sluice.rate-limit.tools", item)));
        }
    }

    /** The plan's defaults. */
    public static RateLimitPolicy defaults() {
        return new RateLimitPolicy(true, DEFAULT_WINDOW, DEFAULT_PER_USER, DEFAULT_PER_ORGANISATION, List.of(),
                List.of());
    }

    public boolean enabled() {
        return enabled;
    }

    public Duration window() {
        return window;
    }

    /**
     * The budgets of a call of {@code server/tool} by {@code caller}; with {@code server} null, the
     * caller's user and organisation budgets only (for a status query).
     */
    public List<RateLimit> limitsFor(Caller caller, String server, String tool) {
        List<RateLimit> limits = new ArrayList<>(3);
        if (!enabled) {
            return limits;
        }
        int user = perRole.getOrDefault(caller.role(), perUser);
        if (user != UNLIMITED) {
            limits.add(new RateLimit("user", "user:" + caller.subject(), user, window));
        }
        if (caller.organisation() != null && !caller.organisation().isBlank() && perOrganisation != UNLIMITED) {
            limits.add(new RateLimit("organisation", "org:" + caller.organisation(), perOrganisation, window));
        }
        if (server != null && tool != null) {
            toolLimit(server, tool).ifPresent(n -> limits.add(new RateLimit("tool",
                    "tool:" + server + "/" + tool + ":" + caller.subject(), n, window)));
        }
        return limits;
    }

    private OptionalInt toolLimit(String server, String tool) {
        String name = server + "/" + tool;
        for (ToolLimit t : perTool) {
            if (t.regex().matcher(name).matches()) {
                return t.limit() == UNLIMITED ? OptionalInt.empty() : OptionalInt.of(t.limit());
            }
        }
        return OptionalInt.empty();
    }

    private static String[] split(String item, String key, String form) {
        int eq = item.lastIndexOf('=');
        if (eq <= 0 || eq == item.length() - 1) {
            throw new IllegalArgumentException(key + ": '" + item + "' must be " + form);
        }
        return new String[] {item.substring(0, eq).strip(), item.substring(eq + 1).strip()};
    }

    private static int limit(String text, String key, String item) {
        if ("unlimited".equalsIgnoreCase(text)) {
            return UNLIMITED;
        }
        try {
            int n = Integer.parseInt(text);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(key + ": the limit in '" + item
                + "' must be a positive whole number or 'unlimited'");
    }

    private static Pattern glob(String pattern) {
        return Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")));
    }
}
