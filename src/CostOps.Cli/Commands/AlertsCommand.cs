using System.Globalization;
using System.Text;
using System.Text.Json;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Budgets;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary><c>costops alerts list</c>: the alert outbox with each delivery's status, attempts and last error.</summary>
public sealed class AlertsCommand : ICliCommand
{
    public string Name => "alerts";
    public string Summary => "List budget alerts and their delivery status (pending, delivered, failed).";
    private static readonly CliOption<string?> Budget = CliOption.Text("budget", "ID", "only this budget's alerts");
    private static readonly CliOption<string?> Status = CliOption.Choice("status", "only alerts in this state",
        AlertStatuses.Pending, AlertStatuses.Delivered, AlertStatuses.Failed, AlertStatuses.Recorded);

    public CliSyntax Syntax { get; } = new(new CliForm("list", "", "the alert outbox, newest first", [Budget, Status, CliOption.Json]));
    public bool NeedsTables => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        if (args.Positional is not ["list"]) throw new CliUsageException("the action is 'list'.");
        var budget = args.Get(Budget);
        var status = args.Get(Status);
        var json = args.Has(CliOption.Json);

        var rows = await context.Services.GetRequiredService<AlertOutbox>().ListAsync(budget, status, 500, cancellationToken);
        if (json)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream))
            {
                w.WriteStartArray();
                foreach (var r in rows) BudgetApi.WriteAlert(w, r);
                w.WriteEndArray();
            }
            context.Out.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
            return 0;
        }
        TextTable.Write(context.Out, ["created_at", "budget", "period", "threshold", "channel", "status", "attempts", "last_error"],
            rows.Select(r => (IReadOnlyList<string>)
            [
                r.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), r.BudgetId, r.PeriodKey,
                r.IsNotice ? r.Kind : $"{r.Threshold}% {r.Kind} of {r.LimitUsd.ToString(CultureInfo.InvariantCulture)}", r.Channel, r.Status,
                r.Attempts.ToString(CultureInfo.InvariantCulture), r.LastError ?? "",
            ]).ToList(), new HashSet<int> { 6 });
        return 0;
    }
}
