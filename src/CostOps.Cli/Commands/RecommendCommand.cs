using System.Globalization;
using CostOps.Core.Recommendations;
using CostOps.Infrastructure.Recommendations;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops recommend</c>: runs the recommendation analysis now over the last N days (the same service the scheduled
/// run uses), stores the run, and prints it. <c>--json</c> prints one array of rows with exact decimal strings.
/// </summary>
public sealed class RecommendCommand : ICliCommand
{
    public string Name => "recommend";
    public string Summary => "Re-price recent traffic under alternatives: where it gets cheaper, and by how much.";
    private static readonly CliOption<int?> Days = CliOption.Int("days", "N", "days of traffic to analyse (default: the configured window)", 1, 366);
    private static readonly CliOption<string?> Tenant = CliOption.Text("tenant", "T", "only this tenant");
    private static readonly CliFlag NoSave = CliOption.Flag("no-save", "print the run without storing it");

    public CliSyntax Syntax { get; } = new(new CliForm("", [Days, Tenant, CliOption.Json, NoSave]));

    // Budgets (Azure Tables) feed the budget-pressure kind.
    public bool NeedsTables => true;
    public bool NeedsSchema => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var days = args.Get(Days);
        var tenant = args.Get(Tenant);
        var json = args.Has(CliOption.Json);
        var save = !args.Has(NoSave);

        var service = context.Services.GetRequiredService<RecommendationService>();
        var run = await service.RunAsync(days, string.IsNullOrWhiteSpace(tenant) ? null : tenant, scheduled: false, persist: save, cancellationToken);
        if (json)
        {
            context.Out.WriteLine(RecommendationJson.Rows(run, new Dictionary<string, RecommendationDecision>(), indented: true));
            return 0;
        }

        context.Out.WriteLine($"run {run.RunId}: {run.WindowDays} days, {run.Scopes} scopes, {run.Recommendations.Count} recommendations" +
            (save ? "" : " (not saved)"));
        if (run.Recommendations.Count == 0) return 0;
        var rows = run.Recommendations.Select(r => (IReadOnlyList<string>)
        [
            r.Kind.ToWireName(), r.Tenant, r.Project, r.Feature, r.CurrentModel,
            r.SuggestedModel == r.CurrentModel ? "(same)" : r.SuggestedModel,
            decimal.Round(r.ObservedCostUsd, 6).ToString("0.000000", CultureInfo.InvariantCulture),
            decimal.Round(r.ProjectedCostUsd, 6).ToString("0.000000", CultureInfo.InvariantCulture),
            decimal.Round(r.EstimatedSavings30dUsd, 6).ToString("0.000000", CultureInfo.InvariantCulture),
            r.TrafficShare.ToString("0.##", CultureInfo.InvariantCulture),
            r.Confidence.ToString("0.00", CultureInfo.InvariantCulture),
        ]).ToList();
        TextTable.Write(context.Out,
            ["kind", "tenant", "project", "feature", "current", "suggested", "observed_usd", "projected_usd", "savings_30d_usd", "share", "confidence"],
            rows, new HashSet<int> { 6, 7, 8, 9, 10 });
        context.Out.WriteLine();
        foreach (var r in run.Recommendations) context.Out.WriteLine($"{r.Id} {r.Kind.ToWireName()}: {r.Rationale}");
        return 0;
    }
}
