using System.Globalization;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;

namespace CostOps.Infrastructure.Budgets;

/// <summary>
/// Reads the spend of many budgets in at most two ClickHouse queries per tick, whatever their number: one over the
/// hourly rollup for budgets without a tag, one over usage events for tag budgets. Budgets travel as parallel array
/// parameters and are joined to spend by tenant; nothing is interpolated into the SQL.
/// </summary>
public sealed class BudgetSpendReader(IClickHouse clickHouse, SqlCatalog catalog)
{
    /// <summary>Spend per budget id for the given periods at <paramref name="now"/>; budgets without spend get zeros.</summary>
    public async Task<IReadOnlyDictionary<string, BudgetSpend>> ReadAsync(
        IReadOnlyList<(Budget Budget, BudgetPeriod Period)> budgets, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, BudgetSpend>(StringComparer.Ordinal);
        var plain = budgets.Where(b => !b.Budget.Scope.HasTag).ToList();
        var tagged = budgets.Where(b => b.Budget.Scope.HasTag).ToList();
        if (plain.Count > 0) await RunAsync("budgets/spend_by_scope", plain, now, tags: false, result, cancellationToken);
        if (tagged.Count > 0) await RunAsync("budgets/spend_by_tag", tagged, now, tags: true, result, cancellationToken);
        foreach (var (budget, _) in budgets) result.TryAdd(budget.Id, BudgetSpend.Zero);
        return result;
    }

    private async Task RunAsync(string query, List<(Budget Budget, BudgetPeriod Period)> budgets, DateTimeOffset now, bool tags,
        Dictionary<string, BudgetSpend> result, CancellationToken cancellationToken)
    {
        var windowStart = now.AddDays(-BudgetForecast.WindowDays);
        var from = budgets.Select(b => b.Period.Start).Append(windowStart).Min();
        var p = new QueryParameters
        {
            { "tenants", budgets.Select(b => b.Budget.Scope.Tenant).ToArray() },
            { "projects", budgets.Select(b => b.Budget.Scope.Project ?? "").ToArray() },
            { "users", budgets.Select(b => b.Budget.Scope.User ?? "").ToArray() },
            { "features", budgets.Select(b => b.Budget.Scope.Feature ?? "").ToArray() },
            { "providers", budgets.Select(b => b.Budget.Scope.Provider ?? "").ToArray() },
            { "models", budgets.Select(b => b.Budget.Scope.Model ?? "").ToArray() },
            { "starts", budgets.Select(b => b.Period.Start).ToArray() },
            { "from", from },
            { "now", now },
        };
        if (tags)
        {
            p.Add("tag_keys", budgets.Select(b => b.Budget.Scope.TagKey ?? "").ToArray());
            p.Add("tag_values", budgets.Select(b => b.Budget.Scope.TagValue ?? "").ToArray());
        }
        var tsv = await clickHouse.QueryAsync(catalog.Get(query), "TSV", p, cancellationToken);
        foreach (var line in tsv.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cols = line.Split('\t');
            var index = int.Parse(cols[0], CultureInfo.InvariantCulture) - 1;
            var trailing = new decimal[BudgetForecast.WindowDays];
            for (var d = 0; d < trailing.Length; d++) trailing[d] = ParseMoney(cols[2 + d]);
            result[budgets[index].Budget.Id] = new BudgetSpend(ParseMoney(cols[1]), trailing);
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
