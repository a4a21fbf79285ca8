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
    public string Usage => "costops alerts list [--budget ID] [--status pending|delivered|failed|recorded] [--json]";
    public IReadOnlySet<string> Flags => new HashSet<string> { "json" };
    public bool NeedsTables => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        if (args.Positional is not ["list"]) throw new CliUsageException("the action is 'list'.");
        var budget = args.Option("budget");
        var status = args.Option("status");
        var json = args.Flag("json");
        args.RejectUnknown();
        if (status is not null and not (AlertStatuses.Pending or AlertStatuses.Delivered or AlertStatuses.Failed or AlertStatuses.Recorded))
            throw new CliUsageException($"--status '{status}' is not one of pending, delivered, failed, recorded.");

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
