package dev.sluice.agents.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.agents.ToolSpec;
import dev.sluice.core.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tools offered on demand. When a role's compacted definitions cost more tokens than
 * {@code sluice.agents.on-demand-tools-above}, a run starts with the pseudo-tool
 * {@value #NAME} only (its description names every tool of the role, without schemas); the model
 * asks it for what it needs, and the tools it finds are offered, with their schemas, from the next
 * model call on. The definitions then cost what the task uses rather than what the role could use.
 */
public final class ToolFinder {
    /** The pseudo-tool's name. */
    public static final String NAME = "sluice_find_tools";
    /** The most tools one lookup offers. */
    public static final int LIMIT = 5;

    private final List<ToolSpec> specs;

    public ToolFinder(List<ToolSpec> specs) {
        this.specs = List.copyOf(specs);
    }

    /** The pseudo-tool's definition, naming the role's tools. */
    public ToolSpec spec() {
        ObjectNode schema = Json.object().put("type", "object");
        schema.putObject("properties").putObject("query").put("type", "string")
                .put("description", "tool names, or words for what the tools should do");
        schema.putArray("required").add("query");
        StringBuilder d = new StringBuilder("Makes tools callable: give the names (or words for the need) of up to ")
                .append(LIMIT).append(" tools; from the next step on you can call them. Tools: ");
        for (int i = 0; i < specs.size(); i++) {
            d.append(i == 0 ? "" : ", ").append(specs.get(i).name());
        }
        return new ToolSpec(NAME, d.append('.').toString(), schema);
    }

    /**
     * The role's tools that best match a query: those it names exactly, or else those whose name (three
     * points a word) or description (one) hold most of the query's words; at most {@link #LIMIT}.
     */
    public List<ToolSpec> find(String query) {
        String q = query == null ? "" : query.toLowerCase(Locale.ROOT);
        Set<String> words = words(q);
        List<ToolSpec> exact = new ArrayList<>();
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            ToolSpec s = specs.get(i);
            String name = s.name().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && containsName(q, name)) {
                exact.add(s);
                continue;
            }
            Set<String> nameWords = words(name);
            Set<String> descriptionWords = words(s.description() == null ? "" : s.description().toLowerCase(Locale.ROOT));
            int score = 0;
            for (String w : words) {
                if (nameWords.contains(w)) {
                    score += 3;
                } else if (descriptionWords.contains(w)) {
                    score += 1;
                }
            }
            if (score > 0) {
                scored.add(new Scored(s, score, i));
            }
        }
        if (!exact.isEmpty()) { // the model named what it wants
            return exact.stream().limit(LIMIT).toList();
        }
        scored.sort(Comparator.comparingInt((Scored x) -> -x.score).thenComparingInt(x -> x.order));
        return scored.stream().map(Scored::spec).limit(LIMIT).toList();
    }

    /** What the model reads back: the tools found, or how to ask again. */
    public static String answer(List<ToolSpec> found) {
        if (found.isEmpty()) {
            return "No tool of this role matches; ask with names from the list in " + NAME + "'s description.";
        }
        StringBuilder b = new StringBuilder("You can call these tools now:\n");
        for (ToolSpec s : found) {
            b.append("- ").append(s.name());
            if (s.description() != null && !s.description().isBlank()) {
                b.append(": ").append(ToolDefinitions.shorten(s.description(), 120));
            }
            b.append('\n');
        }
        return b.toString().stripTrailing();
    }

    private static boolean containsName(String query, String name) {
        int at = query.indexOf(name);
        while (at >= 0) {
            int end = at + name.length();
            boolean startOk = at == 0 || !nameChar(query.charAt(at - 1));
            boolean endOk = end == query.length() || !nameChar(query.charAt(end));
            if (startOk && endOk) {
                return true;
            }
            at = query.indexOf(name, at + 1);
        }
        return false;
    }

    private static boolean nameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }

    /** Lower-case words of three or more letters or digits ({@code _}, {@code -} and {@code __} split). */
    private static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.split("[^\\p{L}\\p{N}]+")) {
            if (w.length() >= 3) {
                out.add(w);
                if (w.length() > 4 && w.endsWith("s")) {
                    out.add(w.substring(0, w.length() - 1)); // topics ~ topic
                }
            }
        }
        return out;
    }

    private record Scored(ToolSpec spec, int score, int order) {
    }
}
