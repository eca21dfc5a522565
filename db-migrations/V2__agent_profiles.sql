-- Agent profiles for the five data roles of the integration plan (dev.sluice.agents.AgentRole), editable
-- by administrators through PUT /api/v1/agents/{role}. The tool subset is a virtual server of its own:
-- the servers it draws from (comma-separated catalog names) and glob patterns over federated tool names.
-- Models are "provider:model" (openai:…, anthropic:…); NULL takes sluice.agents.models.<category>.
CREATE TABLE agent_profiles (
    role_name         VARCHAR(64)   NOT NULL PRIMARY KEY,
    purpose           VARCHAR(500)  NOT NULL,
    system_prompt     VARCHAR(8000) NOT NULL,
    servers_csv       VARCHAR(2000) NOT NULL,
    tools_csv         VARCHAR(8000) NOT NULL,
    routine_model     VARCHAR(128),
    reasoning_model   VARCHAR(128),
    step_limit        INTEGER       NOT NULL,
    token_budget      BIGINT        NOT NULL,
    enabled           BOOLEAN       NOT NULL DEFAULT TRUE,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by        VARCHAR(255)  NOT NULL
);

INSERT INTO agent_profiles (role_name, purpose, system_prompt, servers_csv, tools_csv, step_limit, token_budget,
        updated_at, updated_by) VALUES
    ('data-platform-engineer',
     'Keeps the data platform running: infrastructure, health, capacity.',
     'You are a data platform engineer. Check the health and capacity of the data platform''s services with the tools you have, cite the figures you found, and say plainly what needs attention. Do not change anything unless the task asks for it.',
     'postgres,redis,grafana,elasticsearch,confluent,airflow',
     'postgres__analyze_db_health,postgres__get_top_queries,postgres__list_schemas,redis__info,redis__dbsize,redis__client_list,grafana__search_dashboards,grafana__list_datasources,grafana__get_dashboard_*,elasticsearch__list_indices,elasticsearch__get_shards,confluent__list-topics,confluent__get-topic-config,confluent__list-consumer-groups,confluent__get-consumer-group-lag,airflow__get_health,airflow__get_import_errors',
     8, 60000, CURRENT_TIMESTAMP, 'migration'),
    ('data-engineer',
     'Builds and runs pipelines: ingestion, orchestration, streaming.',
     'You are a data engineer. Inspect sources, pipelines and streams with the tools you have; query before you conclude, and report row counts, run states and offsets exactly as the tools returned them.',
     'postgres,motherduck,airflow,confluent,redis',
     'postgres__list_*,postgres__get_object_details,postgres__execute_sql,postgres__explain_query,motherduck__*,airflow__fetch_dags,airflow__get_dag*,airflow__get_task*,airflow__list_task_instances,airflow__post_dag_run,confluent__list-topics,confluent__consume-messages,confluent__produce-message,confluent__get-partition-offsets,redis__get,redis__hgetall,redis__scan_keys',
     10, 80000, CURRENT_TIMESTAMP, 'migration'),
    ('analytics-engineer',
     'Models data for analysis: dbt models, tests, lineage, documentation.',
     'You are an analytics engineer. Explore schemas and lineage, check models against the data with queries, and explain modelling choices briefly. Prefer the warehouse (DuckDB) for analysis queries.',
     'motherduck,postgres,dbt,datahub',
     'motherduck__*,postgres__list_*,postgres__get_object_details,postgres__execute_sql,dbt__*,datahub__search,datahub__get_lineage,datahub__get_entities,datahub__list_schema_fields,datahub__get_dataset_queries',
     10, 80000, CURRENT_TIMESTAMP, 'migration'),
    ('data-scientist',
     'Explores data and builds models: profiling, statistics, vector search.',
     'You are a data scientist. Profile the data before you model it, state sample sizes and uncertainty, and use vector search only for questions of similarity.',
     'mcp-analyst,motherduck,milvus,qdrant,pandas',
     'mcp-analyst__*,motherduck__execute_query,motherduck__list_*,milvus__milvus_list_collections,milvus__milvus_get_collection_info,milvus__milvus_query,milvus__milvus_*_search,qdrant__qdrant-find,pandas__*',
     10, 80000, CURRENT_TIMESTAMP, 'migration'),
    ('data-analyst',
     'Answers business questions: queries, dashboards, reports.',
     'You are a data analyst. Answer the business question with one or two read-only queries, give the numbers with their units, and say which table they came from.',
     'motherduck,postgres,grafana,metabase',
     'motherduck__execute_query,motherduck__list_*,postgres__execute_sql,postgres__list_objects,grafana__search_dashboards,metabase__*',
     6, 40000, CURRENT_TIMESTAMP, 'migration');

-- A run's organisation (for the organisation's monthly budget) and task category (which model it used).
ALTER TABLE agent_runs ADD COLUMN organisation VARCHAR(255);
ALTER TABLE agent_runs ADD COLUMN task_category VARCHAR(16);
ALTER TABLE agent_runs ADD COLUMN request_id VARCHAR(64);

-- The 80 % alert of a monthly token budget fires once per budget and month, across every node.
CREATE TABLE token_budget_alerts (
    budget_scope   VARCHAR(300) NOT NULL,
    budget_month   VARCHAR(7)   NOT NULL,
    threshold      INTEGER      NOT NULL,
    fired_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    used_tokens    BIGINT       NOT NULL,
    limit_tokens   BIGINT       NOT NULL,
    PRIMARY KEY (budget_scope, budget_month, threshold)
);
