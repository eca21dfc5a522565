package dev.sluice.agents;

/**
 * What a tool call through the pipeline came to, as the model will be told.
 *
 * @param text the result's text content (or the refusal), possibly truncated for the model
 * @param error whether the call failed or was refused
 * @param errorType the problem type slug of a refusal ({@code forbidden}, {@code unknown-tool} …), or null
 * @param server the catalog server of the tool, or null when the name routes nowhere
 */
public record ToolOutcome(String text, boolean error, String errorType, String server) {
}
