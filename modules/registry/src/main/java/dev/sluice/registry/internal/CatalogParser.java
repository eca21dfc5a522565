package dev.sluice.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.core.AccessRule;
import dev.sluice.core.CacheCategory;
import dev.sluice.core.CachePolicy;
import dev.sluice.core.Role;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.ServerPolicy;
import dev.sluice.core.SluiceException;
import dev.sluice.core.ToolMode;
import dev.sluice.core.ToolPolicy;
import dev.sluice.registry.CatalogSnapshot;
import dev.sluice.registry.QualifiedName;
import dev.sluice.registry.Resilience;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.Smoke;
import dev.sluice.registry.Transport;
import dev.sluice.registry.VirtualServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a catalog file (YAML or JSON) into a {@link CatalogSnapshot}, checking every entry and
 * field. It reports all problems at once, each naming the entry and the field, so an operator can
 * fix a file in one go.
 */
public final class CatalogParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VIRTUAL_NAME = Pattern.compile("[a-z0-9](?:-?[a-z0-9])*");
    private static final Set<String> SERVER_FIELDS = Set.of("name", "description", "tier", "category", "enabled",
            "transport", "command", "args", "env", "cwd", "url", "headers", "startup", "request-timeout",
            "idle-timeout", "roles", "install", "default-mode", "access", "tools", "cache", "protocol", "required",
            "resilience", "smoke");
    private static final Set<String> TOOL_FIELDS = Set.of("mode", "sql", "command-arguments", "access", "cache",
            "idempotent");
    private static final Set<String> CACHE_FIELDS = Set.of("enabled", "category", "ttl", "stale-if-error", "scope");
    private static final Set<String> RULE_SUBJECTS = Set.of("roles", "users", "groups");
    private static final Set<String> ROLE_NAMES = Role.ids();
    private static final Set<String> VIRTUAL_FIELDS = Set.of("name", "description", "servers", "tools", "prefix");
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final List<String> problems = new ArrayList<>();

    private CatalogParser() {
    }

    public static CatalogSnapshot parse(String text, String source) {
        return parse(tree(text, source), source);
    }

    /** A catalog already read as a tree (a YAML file with run-time changes applied). */
    public static CatalogSnapshot parse(JsonNode root, String source) {
        return new CatalogParser().read(root == null ? YAML.createObjectNode() : root, source);
    }

    /** The YAML text as a tree, or the problem naming line and column. */
    public static JsonNode tree(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            // the YAML parser's own message names line and column; add Jackson's only when it does not
            if (!why.contains("line") && e.getLocation() != null) {
                why = why + " at line " + e.getLocation().getLineNr();
            }
            throw new SluiceException(ErrorKind.INVALID_CATALOG, "catalog " + source + " is not valid YAML: " + why);
        }
        return root == null ? YAML.createObjectNode() : root;
    }

    private CatalogSnapshot read(JsonNode root, String source) {
        if (!root.isObject()) {
            throw invalid(source, List.of("the top level must be a mapping with 'servers'"));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!Set.of("separator", "servers", "virtual-servers").contains(field)) {
                problems.add("unknown top-level field '" + field + "' (expected separator, servers, virtual-servers)");
            }
        }
        String separator = root.path("separator").asText(QualifiedName.DEFAULT_SEPARATOR);
        if (separator.isEmpty() || separator.chars().anyMatch(c -> Character.isLetterOrDigit(c) || c == '-')) {
            problems.add("'separator' must be non-empty and contain no letters, digits or '-' (it would be "
                    + "ambiguous with server names), not '" + separator + "'");
        }
        List<ServerDefinition> servers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        JsonNode list = root.path("servers");
        if (!list.isMissingNode() && !list.isArray()) {
            problems.add("'servers' must be a list");
        }
        int index = 0;
        for (JsonNode entry : list.isArray() ? list : YAML.createArrayNode()) {
            ServerDefinition server = server(entry, index++);
            if (server != null) {
                if (!names.add(server.name())) {
                    problems.add("servers[" + (index - 1) + "]: name '" + server.name() + "' is used twice");
                } else {
                    servers.add(server);
                }
            }
        }
        List<VirtualServer> virtuals = new ArrayList<>();
        Set<String> virtualNames = new HashSet<>();
        index = 0;
        JsonNode virtualList = root.path("virtual-servers");
        if (!virtualList.isMissingNode() && !virtualList.isNull() && !virtualList.isArray()) {
            problems.add("'virtual-servers' must be a list");
        }
        for (JsonNode entry : virtualList.isArray() ? virtualList : YAML.createArrayNode()) {
            VirtualServer virtual = virtualServer(entry, index++, names);
            if (virtual != null && !virtualNames.add(virtual.name())) {
                problems.add("virtual-servers[" + (index - 1) + "]: name '" + virtual.name() + "' is used twice");
            } else if (virtual != null) {
                virtuals.add(virtual);
            }
        }
        if (!problems.isEmpty()) {
            throw invalid(source, problems);
        }
        return new CatalogSnapshot(separator, servers, virtuals, source, Instant.now());
    }

    /** A server problem: {@code servers[3] 'name': …}; its field is the first quoted word after the colon. */
    private static final Pattern SERVER_PROBLEM = Pattern.compile("^servers\\[\\d+\\](?: '([^']*)')?: (?:unknown field )?"
            + "(?:'([a-z][a-z-]*)')?.*", Pattern.DOTALL);

    /**
     * The failure naming every problem; its data hold them one by one as {@code errors}
     * ({@code [{"server": "postgres", "field": "transport", "message": "…"}]}, {@code server} and
     * {@code field} where the problem names them), so that a form can show each beside its field.
     */
    private static SluiceException invalid(String source, List<String> problems) {
        ObjectNode data = YAML.createObjectNode();
        ArrayNode errors = data.putArray("errors");
        for (String problem : problems) {
            ObjectNode e = errors.addObject();
            Matcher m = SERVER_PROBLEM.matcher(problem);
            if (m.matches()) {
                if (m.group(1) != null) {
                    e.put("server", m.group(1));
                }
                if (m.group(2) != null) {
                    e.put("field", m.group(2));
                }
            }
            e.put("message", problem);
        }
        return new SluiceException(ErrorKind.INVALID_CATALOG, "catalog " + source + " has " + problems.size()
                + (problems.size() == 1 ? " problem: " : " problems: ") + String.join("; ", problems), data, null);
    }

    private ServerDefinition server(JsonNode entry, int index) {
        String where = "servers[" + index + "]";
        if (!entry.isObject()) {
            problems.add(where + " must be a mapping");
            return null;
        }
        String name = entry.path("name").asText("");
        if (!QualifiedName.isValidServerName(name)) {
            problems.add(where + ": 'name' must be lower-case letters, digits and single hyphens (at most 64), not '"
                    + name + "'");
            return null;
        }
        where = where + " '" + name + "'";
        int before = problems.size();
        for (Iterator<String> it = entry.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!SERVER_FIELDS.contains(field)) {
                problems.add(where + ": unknown field '" + field + "'");
            }
        }
        String kind = entry.path("transport").asText("");
        Transport transport = switch (kind) {
            case "stdio" -> stdio(entry, where);
            case "streamable-http", "http" -> new Transport.StreamableHttp(url(entry, where), stringMap(entry, "headers", where));
            case "sse" -> new Transport.Sse(url(entry, where), stringMap(entry, "headers", where));
            default -> {
                problems.add(where + ": 'transport' must be stdio, streamable-http or sse, not '" + kind + "'");
                yield null;
            }
        };
        ServerDefinition.Startup startup = choice(entry, "startup", ServerDefinition.Startup.LAZY, "lazy or eager", where);
        ServerDefinition.Protocol protocol = choice(entry, "protocol", ServerDefinition.Protocol.AUTO,
                "auto, session or stateless", where);
        Duration requestTimeout = duration(entry, "request-timeout", where);
        Duration idleTimeout = duration(entry, "idle-timeout", where);
        JsonNode tier = entry.path("tier");
        if (!tier.isMissingNode() && !(tier.isInt() && tier.asInt() >= 0 && tier.asInt() <= 3)) {
            problems.add(where + ": 'tier' must be 0, 1, 2 or 3");
        }
        JsonNode enabled = entry.path("enabled");
        if (!enabled.isMissingNode() && !enabled.isBoolean()) {
            problems.add(where + ": 'enabled' must be true or false");
        }
        JsonNode required = entry.path("required");
        if (!required.isMissingNode() && !required.isBoolean()) {
            problems.add(where + ": 'required' must be true or false");
        }
        ServerPolicy policy = policy(entry, where);
        Resilience resilience = resilience(entry.get("resilience"), where);
        Smoke smoke = smoke(entry.get("smoke"), where);
        if (problems.size() > before || transport == null) {
            return null;
        }
        return new ServerDefinition(name, entry.path("description").asText(""), tier.asInt(0),
                entry.path("category").asText("general"), enabled.asBoolean(true), transport, startup,
                requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout, idleTimeout,
                policy, entry.path("install").asText(null), protocol, required.asBoolean(false), resilience, smoke);
    }

    /** A server's {@code smoke} mapping: {@code tool}, {@code arguments}, {@code expect}. */
    private Smoke smoke(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || !node.path("tool").isTextual() || node.path("tool").asText().isBlank()) {
            problems.add(where + ": 'smoke' must be a mapping with 'tool' (and optional 'arguments' and 'expect')");
            return null;
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!Set.of("tool", "arguments", "expect").contains(f)) {
                problems.add(where + ": 'smoke' has unknown field '" + f + "' (expected tool, arguments, expect)");
            }
        });
        JsonNode arguments = node.get("arguments");
        if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
            problems.add(where + ": 'smoke.arguments' must be a mapping");
            return null;
        }
        return new Smoke(node.get("tool").asText(), arguments instanceof ObjectNode o
                ? o : null, node.path("expect").isTextual() ? node.get("expect").asText() : null);
    }

    /**
     * A server's {@code resilience} mapping: {@code retry}, {@code circuit-breaker} and
     * {@code bulkhead}, each a mapping of its settings (see {@link Resilience.Setting}).
     */
    private Resilience resilience(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return Resilience.UNSET;
        }
        if (!node.isObject()) {
            problems.add(where + ": 'resilience' must be a mapping (retry, circuit-breaker, bulkhead)");
            return Resilience.UNSET;
        }
        Map<Resilience.Setting, String> values = new EnumMap<>(Resilience.Setting.class);
        node.fields().forEachRemaining(group -> {
            if (!Set.of("retry", "circuit-breaker", "bulkhead").contains(group.getKey())) {
                problems.add(where + ": 'resilience' has unknown field '" + group.getKey()
                        + "' (expected retry, circuit-breaker, bulkhead)");
                return;
            }
            if (!group.getValue().isObject()) {
                problems.add(where + ": 'resilience." + group.getKey() + "' must be a mapping");
                return;
            }
            group.getValue().fields().forEachRemaining(field -> {
                String key = group.getKey() + "." + field.getKey();
                Optional<Resilience.Setting> setting = Resilience.Setting.of(key);
                if (setting.isEmpty()) {
                    problems.add(where + ": 'resilience' has unknown setting '" + key + "'");
                    return;
                }
                try {
                    values.put(setting.get(), setting.get().check(field.getValue().asText()));
                } catch (IllegalArgumentException e) {
                    problems.add(where + ": resilience " + e.getMessage());
                }
            });
        });
        return new Resilience(values);
    }

    /** One of an enum's values, written in lower case; the default when the field is absent. */
    private <E extends Enum<E>> E choice(JsonNode entry, String field, E absent, String allowed, String where) {
        if (!entry.has(field)) {
            return absent;
        }
        String text = entry.path(field).asText();
        try {
            return Enum.valueOf(absent.getDeclaringClass(), text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": '" + field + "' must be " + allowed + ", not '" + text + "'");
            return absent;
        }
    }

    private ServerPolicy policy(JsonNode entry, String where) {
        Set<String> roles = new LinkedHashSet<>(stringList(entry, "roles", where));
        roles.stream().filter(r -> !ROLE_NAMES.contains(r)).forEach(r -> problems.add(where + ": 'roles' names '" + r
                + "', which is not a role (viewer, analyst, engineer, admin, owner)"));
        ToolMode defaultMode = mode(entry.get("default-mode"), where + ": 'default-mode'");
        List<AccessRule> access = rules(entry.get("access"), where + ": 'access'");
        Map<String, ToolPolicy> tools = new LinkedHashMap<>();
        JsonNode toolsNode = entry.get("tools");
        if (toolsNode != null && !toolsNode.isNull()) {
            if (!toolsNode.isObject()) {
                problems.add(where + ": 'tools' must be a mapping from the upstream's tool names to their policy");
            } else {
                toolsNode.fields().forEachRemaining(e -> tools.put(e.getKey(),
                        tool(e.getValue(), where + ": tools." + e.getKey())));
            }
        }
        return new ServerPolicy(roles, defaultMode, access, tools, cache(entry.get("cache"), where + ": 'cache'"));
    }

    /**
     * A cache policy: {@code false} (never cached), {@code true}, a category name as shorthand
     * ({@code cache: schema}), or a mapping of enabled, category, ttl, stale-if-error and scope.
     */
    private CachePolicy cache(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return CachePolicy.UNSET;
        }
        if (node.isBoolean()) {
            return new CachePolicy(node.booleanValue(), null, null, null, null);
        }
        if (node.isTextual()) {
            CacheCategory category = category(node, where);
            return new CachePolicy(null, category, null, null, null);
        }
        if (!node.isObject()) {
            problems.add(where + " must be true, false, a category (schema, profiling, analytics, lineage, health,"
                    + " default) or a mapping of enabled, category, ttl, stale-if-error and scope");
            return CachePolicy.UNSET;
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!CACHE_FIELDS.contains(f)) {
                problems.add(where + ": unknown field '" + f + "' (expected category, enabled, scope, stale-if-error, ttl)");
            }
        });
        Boolean enabled = null;
        JsonNode e = node.get("enabled");
        if (e != null && !e.isNull()) {
            if (e.isBoolean()) {
                enabled = e.booleanValue();
            } else {
                problems.add(where + ": 'enabled' must be true or false");
            }
        }
        CacheCategory category = node.hasNonNull("category") ? category(node.get("category"), where + ": 'category'")
                : null;
        Duration ttl = duration(node, "ttl", where);
        Duration stale = null;
        JsonNode staleNode = node.get("stale-if-error");
        if (staleNode != null && staleNode.isBoolean()) {
            if (staleNode.booleanValue()) {
                problems.add(where + ": 'stale-if-error' must be a duration such as PT15M (how long after expiry)"
                        + " or false");
            } else {
                stale = Duration.ZERO;
            }
        } else {
            stale = duration(node, "stale-if-error", where, true); // zero: no stale answers, like false
        }
        CachePolicy.Scope scope = null;
        if (node.hasNonNull("scope")) {
            try {
                scope = CachePolicy.Scope.parse(node.get("scope").asText());
            } catch (IllegalArgumentException ex) {
                problems.add(where + ": 'scope' must be permission, user or public, not '"
                        + node.get("scope").asText() + "'");
            }
        }
        return new CachePolicy(enabled, category, ttl, stale, scope);
    }

    private CacheCategory category(JsonNode node, String where) {
        try {
            return CacheCategory.parse(node.asText());
        } catch (IllegalArgumentException ex) {
            problems.add(where + ": " + ex.getMessage());
            return null;
        }
    }

    private ToolPolicy tool(JsonNode node, String where) {
        if (node.isTextual()) {
            // shorthand: "query: read"
            return new ToolPolicy(mode(node, where), null, Set.of(), List.of(), List.of());
        }
        if (!node.isObject()) {
            problems.add(where + " must be a mapping (mode, sql, command-arguments, access, cache) or read / write");
            return ToolPolicy.NONE;
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!TOOL_FIELDS.contains(f)) {
                problems.add(where + ": unknown field '" + f
                        + "' (expected access, cache, command-arguments, idempotent, mode, sql)");
            }
        });
        String sqlArgument = null;
        Set<String> denied = new LinkedHashSet<>();
        JsonNode sql = node.get("sql");
        if (sql != null && sql.isTextual()) {
            sqlArgument = sql.asText();
        } else if (sql != null && sql.isObject()) {
            sqlArgument = sql.path("argument").asText(null);
            if (sqlArgument == null) {
                problems.add(where + ": 'sql.argument' names the argument that holds SQL and is required");
            }
            stringList(sql, "deny", where + ".sql").forEach(k -> denied.add(k.toUpperCase(Locale.ROOT)));
        } else if (sql != null && !sql.isNull()) {
            problems.add(where + ": 'sql' must be an argument name or a mapping with 'argument' and 'deny'");
        }
        ToolMode mode = mode(node.get("mode"), where + ": 'mode'");
        CachePolicy cache = cache(node.get("cache"), where + ": 'cache'");
        if (mode == ToolMode.WRITE && Boolean.TRUE.equals(cache.enabled())) {
            problems.add(where + ": a write tool's results are never cached (its calls invalidate the server's"
                    + " entries); remove 'cache' or make the tool read");
        }
        JsonNode idempotent = node.get("idempotent");
        if (idempotent != null && !idempotent.isBoolean()) {
            problems.add(where + ": 'idempotent' must be true or false");
        }
        return new ToolPolicy(mode, sqlArgument, denied, stringList(node, "command-arguments", where),
                rules(node.get("access"), where + ": 'access'"), cache,
                idempotent != null && idempotent.isBoolean() ? idempotent.asBoolean() : null);
    }

    private ToolMode mode(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return ToolMode.parse(node.asText());
        } catch (IllegalArgumentException e) {
            problems.add(where + " must be read or write, not '" + node.asText() + "'");
            return null;
        }
    }

    /** Rules look like {@code - allow: {roles: [analyst]}} or {@code - deny: {groups: [contractors]}}. */
    private List<AccessRule> rules(JsonNode node, String where) {
        List<AccessRule> rules = new ArrayList<>();
        if (node == null || node.isNull()) {
            return rules;
        }
        if (!node.isArray()) {
            problems.add(where + " must be a list of rules such as '- allow: {roles: [analyst]}'");
            return rules;
        }
        int i = 0;
        for (JsonNode rule : node) {
            String at = where + "[" + i++ + "]";
            if (!rule.isObject() || rule.size() != 1 || !(rule.has("allow") || rule.has("deny"))) {
                problems.add(at + " must have exactly one key, allow or deny");
                continue;
            }
            AccessRule.Effect effect = rule.has("allow") ? AccessRule.Effect.ALLOW : AccessRule.Effect.DENY;
            JsonNode who = rule.get(rule.has("allow") ? "allow" : "deny");
            if (who.isTextual() && "all".equals(who.asText())) {
                rules.add(new AccessRule(effect, Set.of(), Set.of(), Set.of()));
                continue;
            }
            if (!who.isObject()) {
                problems.add(at + ": the rule's subjects must be a mapping of roles, users and groups, or 'all'");
                continue;
            }
            who.fieldNames().forEachRemaining(f -> {
                if (!RULE_SUBJECTS.contains(f)) {
                    problems.add(at + ": unknown field '" + f + "' (expected roles, users, groups)");
                }
            });
            List<String> roles = stringList(who, "roles", at);
            roles.stream().filter(r -> !ROLE_NAMES.contains(r)).forEach(r -> problems.add(at + ": '" + r
                    + "' is not a role (viewer, analyst, engineer, admin, owner)"));
            List<String> users = stringList(who, "users", at);
            List<String> groups = stringList(who, "groups", at);
            if (roles.isEmpty() && users.isEmpty() && groups.isEmpty()) {
                problems.add(at + ": name at least one of roles, users, groups (or write 'all')");
                continue;
            }
            rules.add(new AccessRule(effect, new LinkedHashSet<>(roles), new LinkedHashSet<>(users),
                    new LinkedHashSet<>(groups)));
        }
        return rules;
    }

    private Transport.Stdio stdio(JsonNode entry, String where) {
        String command = entry.path("command").asText("");
        if (command.isBlank()) {
            problems.add(where + ": 'command' is required for transport stdio");
            return null;
        }
        return new Transport.Stdio(command, stringList(entry, "args", where), stringMap(entry, "env", where),
                entry.path("cwd").asText(null));
    }

    private URI url(JsonNode entry, String where) {
        String text = entry.path("url").asText("");
        try {
            URI url = URI.create(text);
            if (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(where + ": 'url' must be an http or https URL, not '" + text + "'");
        return URI.create("http://invalid");
    }

    private Duration duration(JsonNode entry, String field, String where) {
        return duration(entry, field, where, false);
    }

    private Duration duration(JsonNode entry, String field, String where, boolean zeroAllowed) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            Duration d = Duration.parse(value.asText());
            if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
                problems.add(where + ": '" + field + "' must be " + (zeroAllowed ? "zero or positive" : "positive"));
            }
            return d;
        } catch (DateTimeParseException e) {
            problems.add(where + ": '" + field + "' must be an ISO-8601 duration such as PT30S, not '"
                    + value.asText() + "'");
            return null;
        }
    }

    private List<String> stringList(JsonNode entry, String field, String where) {
        JsonNode value = entry.get(field);
        List<String> list = new ArrayList<>();
        if (value == null || value.isNull()) {
            return list;
        }
        if (!value.isArray()) {
            problems.add(where + ": '" + field + "' must be a list");
            return list;
        }
        for (JsonNode item : value) {
            if (!item.isValueNode() || item.isNull()) {
                problems.add(where + ": every item of '" + field + "' must be a string");
            } else {
                list.add(item.asText());
            }
        }
        return list;
    }

    private Map<String, String> stringMap(JsonNode entry, String field, String where) {
        JsonNode value = entry.get(field);
        Map<String, String> map = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return map;
        }
        if (!value.isObject()) {
            problems.add(where + ": '" + field + "' must be a mapping");
            return map;
        }
        value.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                problems.add(where + ": '" + field + "." + e.getKey() + "' must be a string");
            } else {
                map.put(e.getKey(), e.getValue().asText());
            }
        });
        return map;
    }

    private VirtualServer virtualServer(JsonNode entry, int index, Set<String> serverNames) {
        String where = "virtual-servers[" + index + "]";
        if (!entry.isObject()) {
            problems.add(where + " must be a mapping");
            return null;
        }
        String name = entry.path("name").asText("");
        if (!VIRTUAL_NAME.matcher(name).matches() || name.length() > 64) {
            problems.add(where + ": 'name' must be lower-case letters, digits and single hyphens, not '" + name + "'");
            return null;
        }
        where = where + " '" + name + "'";
        for (Iterator<String> it = entry.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!VIRTUAL_FIELDS.contains(field)) {
                problems.add(where + ": unknown field '" + field + "' (expected " + String.join(", ", new TreeSet<>(VIRTUAL_FIELDS)) + ")");
            }
        }
        List<String> servers = stringList(entry, "servers", where);
        for (String server : servers) {
            if (!serverNames.contains(server)) {
                problems.add(where + ": server '" + server + "' is not in the catalog");
            }
        }
        JsonNode prefix = entry.path("prefix");
        if (!prefix.isMissingNode() && !prefix.isBoolean()) {
            problems.add(where + ": 'prefix' must be true or false");
        }
        boolean prefixed = prefix.isMissingNode() ? servers.size() != 1 : prefix.asBoolean(true);
        if (!prefixed && servers.size() != 1) {
            problems.add(where + ": 'prefix: false' needs exactly one server, or names could collide");
        }
        return new VirtualServer(name, entry.path("description").asText(""), servers,
                stringList(entry, "tools", where), prefixed);
    }
}
