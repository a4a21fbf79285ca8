-- Marks a run complete (after its recommendations are written).
INSERT INTO recommendation_runs (run_id, run_at, window_days, tenant_filter, scheduled, scopes, recommendations, elapsed_ms)
VALUES ({run_id:String}, {run_at:DateTime64(3, 'UTC')}, {window_days:UInt16}, {tenant_filter:String}, {scheduled:Bool},
        {scopes:UInt64}, {recommendations:UInt64}, {elapsed_ms:UInt64})
