#!/usr/bin/env python3
"""Writes dashboards/costops.json from the panel SQL in queries/dashboards/.

The SQL files are the source of truth (they are what the Grafana test runs on ClickHouse); the JSON embeds each one
verbatim, and tests/CostOps.Integration.Tests/Grafana checks that it still does. Run after editing a panel's SQL:
    python3 infra/grafana/generate_dashboard.py
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
QUERIES = ROOT / "queries" / "dashboards"
DATASOURCE = {"type": "grafana-clickhouse-datasource", "uid": "costops-clickhouse"}

# The plugin's query formats: 0 = time series, 1 = table.
TIME_SERIES, TABLE = 0, 1

# (sql file, title, panel type, format, width, height, unit, description)
PANELS = [
    ("spend_by_tenant", "Spend by tenant", "timeseries", TIME_SERIES, 12, 8, "currencyUSD", "Hourly spend per tenant, exact (deduplicated rollup)."),
    ("spend_by_project", "Spend by project", "timeseries", TIME_SERIES, 12, 8, "currencyUSD", "Hourly spend per tenant/project."),
    ("spend_by_model", "Spend by model", "timeseries", TIME_SERIES, 12, 8, "currencyUSD", "Hourly spend per model."),
    ("cost_per_request", "Cost per request", "timeseries", TIME_SERIES, 12, 8, "currencyUSD", "Average cost of one call, per model."),
    ("token_mix", "Token mix and cache-hit rate", "timeseries", TIME_SERIES, 12, 8, "short", "Uncached input, cache reads and writes, visible output and reasoning tokens; cache_hit_rate on the right axis."),
    ("unpriced_share", "Unpriced share", "timeseries", TIME_SERIES, 12, 8, "percentunit", "Calls that could not be priced: stored at $0, so spend is understated while this is above zero."),
    ("budget_burn_down", "Budget burn-down", "timeseries", TIME_SERIES, 12, 8, "currencyUSD", "Limit minus running spend per budget over its period; alerts are annotated."),
    ("forecast_vs_limit", "Forecast vs limit", "table", TABLE, 12, 8, "currencyUSD", "Each budget's forecast end-of-period spend against its limit, as of its latest alert."),
    ("top_recommendations", "Top recommendations", "table", TABLE, 16, 10, "currencyUSD", "Current routing recommendations (newest completed run), largest savings first."),
    ("savings_by_kind", "Savings by kind", "barchart", TABLE, 8, 10, "currencyUSD", "Estimated savings of the newest run per recommendation kind."),
    ("ingest_rejects", "Ingest rejects", "timeseries", TIME_SERIES, 12, 8, "short", "Refused events by reason code."),
    ("ingest_lag", "Ingest lag", "timeseries", TIME_SERIES, 12, 8, "s", "Seconds between a call and its event being stored (p50, p95)."),
]


def sql(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def target(name: str, fmt: int) -> dict:
    return {
        "refId": "A",
        "datasource": DATASOURCE,
        "editorType": "sql",
        "format": fmt,
        "queryType": "timeseries" if fmt == TIME_SERIES else "table",
        "rawSql": sql(name),
    }


def panels() -> list:
    out, x, y, row_height = [], 0, 0, 0
    for index, (name, title, kind, fmt, width, height, unit, description) in enumerate(PANELS, start=1):
        if x + width > 24:
            x, y, row_height = 0, y + row_height, 0
        panel = {
            "id": index,
            "type": kind,
            "title": title,
            "description": description,
            "datasource": DATASOURCE,
            "gridPos": {"h": height, "w": width, "x": x, "y": y},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {},
            "targets": [target(name, fmt)],
        }
        if name == "token_mix":
            panel["fieldConfig"]["overrides"] = [{
                "matcher": {"id": "byName", "options": "cache_hit_rate"},
                "properties": [{"id": "unit", "value": "percentunit"}, {"id": "custom.axisPlacement", "value": "right"}],
            }]
            panel["fieldConfig"]["defaults"]["custom"] = {"stacking": {"mode": "normal", "group": "A"}}
        out.append(panel)
        x, row_height = x + width, max(row_height, height)
    return out


def dashboard() -> dict:
    return {
        "uid": "costops",
        "title": "CostOps: LLM spend",
        "description": "Spend, tokens, budgets, recommendations and ingestion health from the CostOps ClickHouse tables.",
        "tags": ["costops", "llm", "finops"],
        "timezone": "utc",
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "refresh": "5m",
        "time": {"from": "now-7d", "to": "now"},
        "annotations": {"list": [{
            "name": "Budget alerts",
            "enable": True,
            "iconColor": "red",
            "datasource": DATASOURCE,
            "target": {**target("budget_alert_annotations", TABLE), "queryType": "annotation"},
        }]},
        "templating": {"list": [{
            "name": "tenant",
            "label": "Tenant",
            "type": "query",
            "datasource": DATASOURCE,
            "query": sql("variable_tenant"),
            "definition": sql("variable_tenant"),
            "multi": True,
            "includeAll": True,
            "refresh": 2,
            "sort": 1,
            "current": {},
        }]},
        "panels": panels(),
    }


if __name__ == "__main__":
    target_path = ROOT / "infra" / "grafana" / "dashboards" / "costops.json"
    target_path.write_text(json.dumps(dashboard(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target_path.relative_to(ROOT)}")
