-- Prompt tokens a model provider read from its prompt cache (Anthropic cache_read_input_tokens, OpenAI
-- prompt_tokens_details.cached_tokens): still tokens of the prompt, billed at a fraction of the price.
ALTER TABLE token_usage ADD COLUMN cached_prompt_tokens BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE agent_runs ADD COLUMN cached_prompt_tokens BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE agent_run_steps ADD COLUMN cached_prompt_tokens BIGINT;
