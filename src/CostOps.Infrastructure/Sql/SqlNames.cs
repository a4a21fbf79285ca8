namespace CostOps.Infrastructure.Sql;

/// <summary>
/// The name of every query in <c>queries/</c> that code runs by name, declared once: a misspelt name is a compile error,
/// and <c>SqlCatalogTests</c> checks that these are exactly the files (less <c>schema/</c>, run as migrations by folder, and
/// <c>dashboards/</c>, embedded in the Grafana dashboard) and that each is used.
/// </summary>
public static class SqlNames
{
    public static class Bench
    {
        public const string ActiveParts = "bench/active_parts";
        public const string BaselineInsert = "bench/baseline_insert";
        public const string CountEvents = "bench/count_events";
        public const string CreateBaselineTable = "bench/create_baseline_table";
        public const string LiveCounts = "bench/live_counts";
        public const string MergesRunning = "bench/merges_running";
        public const string SeedEventIds = "bench/seed_event_ids";
    }

    public static class Budgets
    {
        public const string BenchSeedSpend = "budgets/bench_seed_spend";
        public const string SpendByScope = "budgets/spend_by_scope";
        public const string SpendByTag = "budgets/spend_by_tag";
    }

    public static class Health
    {
        public const string Version = "health/version";
    }

    public static class Ingest
    {
        public const string CountStoredIds = "ingest/count_stored_ids";
        public const string ExistingEventIds = "ingest/existing_event_ids";
        public const string ListRejects = "ingest/list_rejects";
        public const string ProbeTables = "ingest/probe_tables";
        public const string RejectReasons = "ingest/reject_reasons";
        public const string StoredIdsPage = "ingest/stored_ids_page";
    }

    public static class Migrations
    {
        public const string AppliedMigrations = "migrations/applied_migrations";
        public const string CreateDatabase = "migrations/create_database";
        public const string CreateMigrationsTable = "migrations/create_migrations_table";
        public const string DropDatabase = "migrations/drop_database";
        public const string RecordMigration = "migrations/record_migration";
    }

    public static class Pricing
    {
        public const string TenantModels = "pricing/tenant_models";
        public const string TrafficSince = "pricing/traffic_since";
    }

    public static class Recommendations
    {
        public const string BenchSeedEvents = "recommendations/bench_seed_events";
        public const string DailyVolume = "recommendations/daily_volume";
        public const string LatestRuns = "recommendations/latest_runs";
        public const string ProfileDayFingerprints = "recommendations/profile_day_fingerprints";
        public const string ProfileDaysStored = "recommendations/profile_days_stored";
        public const string PromptRepeats = "recommendations/prompt_repeats";
        public const string RecordRun = "recommendations/record_run";
        public const string RequestRepeats = "recommendations/request_repeats";
        public const string RunRecommendations = "recommendations/run_recommendations";
        public const string StoreProfileDays = "recommendations/store_profile_days";
        public const string UsageProfile = "recommendations/usage_profile";
    }

    public static class Report
    {
        public const string BudgetAlertsSince = "report/budget_alerts_since";
        public const string AdmissionRefusalsSince = "report/admission_refusals_since";
    }

    public static class Reprice
    {
        public const string EventsInRange = "reprice/events_in_range";
    }

    public static class Rollups
    {
        public const string DeleteSlices = "rollups/delete_slices";
        public const string LateIngestedDays = "rollups/late_ingested_days";
        public const string MismatchedSlices = "rollups/mismatched_slices";
        public const string RecomputeDaily = "rollups/recompute_daily";
        public const string RecomputeHourly = "rollups/recompute_hourly";
    }

    public static class Spend
    {
        public const string SpendBy = "spend/spend_by";
    }
}
