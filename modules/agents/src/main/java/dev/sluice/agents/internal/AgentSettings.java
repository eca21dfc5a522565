package dev.sluice.agents.internal;

import jakarta.enterprise.context.Dependent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The agents' configuration, every {@code sluice.agents.*} key with its default in one place
 * (injected with {@code @Inject @ConfigProperties AgentSettings}); the reference is
 * {@code src-docs/reference/configuration.md}.
 */
@Dependent
@ConfigProperties(prefix = "sluice.agents")
public class AgentSettings {
    // the providers: keys by reference (env:, file:), each try bounded by the timeout
    @ConfigProperty(name = "openai.base-url", defaultValue = "https://api.openai.com") String openAiUrl;
    @ConfigProperty(name = "openai.api-key") Optional<String> openAiKey;
    @ConfigProperty(name = "anthropic.base-url", defaultValue = "https://api.anthropic.com") String anthropicUrl;
    @ConfigProperty(name = "anthropic.api-key") Optional<String> anthropicKey;
    @ConfigProperty(name = "anthropic.version", defaultValue = "2023-06-01") String anthropicVersion;
    @ConfigProperty(name = "anthropic.prompt-caching", defaultValue = "true") boolean anthropicCaching;
    @ConfigProperty(name = "request-timeout", defaultValue = "PT60S") Duration timeout;

    // a run: the models a profile does not name, what a model is shown and how much it may write
    @ConfigProperty(name = "models.routine", defaultValue = "openai:gpt-4o-mini") String routineModel;
    @ConfigProperty(name = "models.reasoning", defaultValue = "openai:gpt-4o") String reasoningModel;
    @ConfigProperty(name = "max-tokens", defaultValue = "1024") int maxTokens;
    @ConfigProperty(name = "max-result-chars", defaultValue = "6000") int maxResultChars;
    @ConfigProperty(name = "compact-tools", defaultValue = "true") boolean compactTools;
    @ConfigProperty(name = "max-description-chars", defaultValue = "300") int maxDescription;
    @ConfigProperty(name = "max-argument-description-chars", defaultValue = "160") int maxArgumentDescription;
    @ConfigProperty(name = "on-demand-tools-above", defaultValue = "1000") int onDemandAbove;
    @ConfigProperty(name = "max-background-runs", defaultValue = "16") int maxBackgroundRuns;

    // monthly token budgets: all, per model (MODEL=TOKENS), per organisation (ORG=TOKENS)
    @ConfigProperty(name = "budget.monthly-tokens", defaultValue = "0") long monthlyTokens;
    @ConfigProperty(name = "budget.per-model") Optional<List<String>> perModel;
    @ConfigProperty(name = "budget.per-organisation") Optional<List<String>> perOrganisation;
    @ConfigProperty(name = "budget.alert-at", defaultValue = "0.8") double alertAt;
}
