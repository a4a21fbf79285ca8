using System.Globalization;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Sql;

namespace CostOps.Infrastructure.Budgets;

/// <summary>
/// Reads the spend of many budgets in at most two ClickHouse queries per tick, whatever their number: one over the
/// hourly rollup for budgets without a tag, one over usage events for tag budgets (more only on a
/// server, past half a megabyte of budgets). The tick's budgets travel with the query (<see cref="TsvRowChunks"/>)
/// and are joined to spend by tenant; nothing is interpolated into SQL.
/// </summary>
/// <param name="rollups">Plain budgets read the rollups through it, as of every event this process acknowledged.</param>
public sealed class BudgetSpendReader(IClickHouse clickHouse, SqlCatalog catalog, SpendRollups rollups)
{
    /// <summary>Spend per budget id for the given periods at <paramref name="now"/>; budgets without spend get zeros.</summary>
    public async Task<IReadOnlyDictionary<string, BudgetSpend>> ReadAsync(
        IReadOnlyList<(Budget Budget, BudgetPeriod Period)> budgets, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, BudgetSpend>(StringComparer.Ordinal);
        var plain = budgets.Where(b => !b.Budget.Scope.HasTag).ToList();
        var tagged = budgets.Where(b => b.Budget.Scope.HasTag).ToList();
        // Plain budgets read the rollups; tag budgets read events.
        if (plain.Count > 0) await RunAsync(SqlNames.Budgets.SpendByScope, fromRollups: true, plain, now, result, cancellationToken);
        if (tagged.Count > 0) await RunAsync(SqlNames.Budgets.SpendByTag, fromRollups: false, tagged, now, result, cancellationToken);
        foreach (var (budget, _) in budgets) result.TryAdd(budget.Id, BudgetSpend.Zero);
        return result;
    }

    private async Task RunAsync(string query, bool fromRollups, List<(Budget Budget, BudgetPeriod Period)> budgets, DateTimeOffset now,
        Dictionary<string, BudgetSpend> result, CancellationToken cancellationToken)
    {
        var windowStart = now.AddDays(-BudgetForecast.WindowDays);
        var from = budgets.Select(b => b.Period.Start).Append(windowStart).Min();
        var rows = new TsvRowChunks(clickHouse.MaxParameterUrlBytes);
        for (var i = 0; i < budgets.Count; i++)
        {
            var (budget, period) = budgets[i];
            var scope = budget.Scope;
            rows.Add((i + 1).ToString(CultureInfo.InvariantCulture), scope.Tenant, scope.Project, scope.User, scope.Feature, scope.Provider, scope.Model,
                scope.TagKey, scope.TagValue, period.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture));
        }
        foreach (var chunk in rows.Chunks)
        {
            var parameters = new QueryParameters
            {
                { "budgets", chunk },
                { "from", from },
                { "now", now },
            };
            var tsv = fromRollups
                ? await rollups.QueryAsync(catalog.Get(query), "TSV", parameters, cancellationToken)
                : await clickHouse.QueryAsync(catalog.Get(query), "TSV", parameters, cancellationToken);
            Read(tsv, budgets, result);
        }
    }

    private static void Read(string tsv, List<(Budget Budget, BudgetPeriod Period)> budgets, Dictionary<string, BudgetSpend> result)
    {
        foreach (var line in tsv.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cols = line.Split('\t');
            var index = int.Parse(cols[0], CultureInfo.InvariantCulture) - 1;
            var trailing = new decimal[BudgetForecast.WindowDays];
            for (var d = 0; d < trailing.Length; d++) trailing[d] = ParseMoney(cols[2 + d]);
            result[budgets[index].Budget.Id] = new BudgetSpend(ParseMoney(cols[1]), trailing) { PeriodEstimatedUsd = ParseMoney(cols[2 + trailing.Length]) };
        }
    }

    // Decimal(38,18) sums can carry more digits than System.Decimal holds; cut to 12 places (far below a cent).
    private static decimal ParseMoney(string text)
    {
        var dot = text.IndexOf('.');
        if (dot >= 0 && text.Length - dot - 1 > 12) text = text[..(dot + 13)];
        return decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
    }
}
