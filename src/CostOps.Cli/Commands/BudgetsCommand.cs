using System.Globalization;
using System.Text;
using System.Text.Json;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.Sql;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops budgets add|list|show|update|remove|evaluate</c>: the same <see cref="BudgetService"/> and evaluator
/// as the HTTP API and the timer functions.
/// </summary>
public sealed class BudgetsCommand : ICliCommand
{
    public string Name => "budgets";
    public string Summary => "Manage budgets and run one evaluation tick (alerts, webhooks) now.";
    public string Usage =>
        "costops budgets add --id ID --tenant T [--project P] [--user U] [--feature F] [--provider P] [--model M] [--tag key=value]\n" +
        "                    [--period daily|weekly|month|rolling] [--days N] [--time-zone ZONE] --limit USD\n" +
        "                    [--thresholds 50,80,100] [--forecast-threshold 100[,..]] [--webhook URL [--webhook-secret S]] [--slack URL] [--teams URL] [--disabled]\n" +
        "                    [--action alert|block|reroute [--reroute-model M]]\n" +
        "       costops budgets update ID [same options; given ones replace, --enabled/--disabled]\n" +
        "       costops budgets list [--json]\n" +
        "       costops budgets show ID\n" +
        "       costops budgets remove ID\n" +
        "       costops budgets rotate-secret ID\n" +
        "       costops budgets evaluate [--no-deliver] [--json]";
    public IReadOnlySet<string> Flags => new HashSet<string> { "json", "disabled", "enabled", "no-deliver" };
    public bool NeedsTables => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var service = context.Services.GetRequiredService<BudgetService>();
        switch (args.Positional)
        {
            case ["add"]:
            {
                var id = args.Option("id") ?? throw new CliUsageException("--id is required.");
                var tenant = args.Option("tenant") ?? throw new CliUsageException("--tenant is required.");
                var limit = args.Option("limit") ?? throw new CliUsageException("--limit is required.");
                var budget = Apply(args, new Budget { Id = id, Scope = new BudgetScope(tenant), LimitUsd = ParseLimit(limit) });
                args.RejectUnknown();
                var stored = await Guard(() => service.AddAsync(budget, cancellationToken));
                context.Out.WriteLine($"added budget '{stored.Budget.Id}'.");
                if (stored.Budget.Channels.WebhookSecret is { } secret && args.Option("webhook-secret") is null)
                    context.Out.WriteLine($"webhook signing secret (shown once, configure it at the receiver): {secret}");
                return 0;
            }
            case ["update", var id]:
            {
                var existing = await service.GetAsync(id, cancellationToken) ?? throw new CliUsageException($"no budget '{id}'.");
                var tenant = args.Option("tenant");
                var budget = existing.Budget;
                if (tenant is not null) budget = budget with { Scope = budget.Scope with { Tenant = tenant } };
                if (args.Option("limit") is { } limit) budget = budget with { LimitUsd = ParseLimit(limit) };
                budget = Apply(args, budget);
                args.RejectUnknown();
                await Guard(() => service.UpdateAsync(budget, existing.ETag, cancellationToken));
                context.Out.WriteLine($"updated budget '{id}'.");
                return 0;
            }
            case ["list"]:
            {
                var json = args.Flag("json");
                args.RejectUnknown();
                var list = (await service.ListAsync(cancellationToken)).OrderBy(b => b.Budget.Id, StringComparer.Ordinal).ToList();
                if (json)
                {
                    context.Out.WriteLine("[" + string.Join(",", list.Select(b => BudgetDefinition.ToJson(b.Budget, includeSecret: false))) + "]");
                    return 0;
                }
                TextTable.Write(context.Out, ["id", "scope", "period", "limit_usd", "thresholds", "channels", "action", "enabled"],
                    list.Select(b => (IReadOnlyList<string>)
                    [
                        b.Budget.Id, b.Budget.Scope.ToString(), PeriodText(b.Budget), b.Budget.LimitUsd.ToString(CultureInfo.InvariantCulture),
                        string.Join(",", b.Budget.Thresholds.Select(t => t.Kind == ThresholdKind.Actual ? $"{t.Percent}" : $"{t.Percent}f")),
                        string.Join(",", b.Budget.Channels.Targets().Select(t => t.Channel)),
                        b.Budget.RerouteModel is { } to ? $"reroute->{to}" : BudgetDefinition.ActionName(b.Budget.Action), b.Budget.Enabled ? "yes" : "no",
                    ]).ToList(), new HashSet<int> { 3 });
                return 0;
            }
            case ["show", var id]:
            {
                args.RejectUnknown();
                var stored = await service.GetAsync(id, cancellationToken) ?? throw new CliUsageException($"no budget '{id}'.");
                using var doc = JsonDocument.Parse(BudgetDefinition.ToJson(stored.Budget, includeSecret: false));
                context.Out.WriteLine(JsonSerializer.Serialize(doc.RootElement, new JsonSerializerOptions { WriteIndented = true }));
                var status = await context.Services.GetRequiredService<BudgetStatusService>().GetAsync(id, cancellationToken);
                if (status is not null) context.Out.WriteLine(BudgetApi.StatusJson(status));
                return 0;
            }
            case ["rotate-secret", var id]:
            {
                args.RejectUnknown();
                var rotated = await Guard(() => service.RotateSecretAsync(id, cancellationToken));
                context.Out.WriteLine($"new webhook signing secret of budget '{id}' (shown once; the old one no longer signs): {rotated.Budget.Channels.WebhookSecret}");
                return 0;
            }
            case ["remove", var id]:
            {
                args.RejectUnknown();
                if (!await service.DeleteAsync(id, null, cancellationToken)) throw new CliUsageException($"no budget '{id}'.");
                context.Out.WriteLine($"removed budget '{id}'.");
                return 0;
            }
            case ["evaluate"]:
                return await EvaluateAsync(args, context, cancellationToken);
            case []:
                throw new CliUsageException("say what to do: add, list, show, update, remove, rotate-secret or evaluate.");
            default:
                throw new CliUsageException($"unknown budgets action '{string.Join(' ', args.Positional)}'.");
        }
    }

    private static async Task<int> EvaluateAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var json = args.Flag("json");
        var deliver = !args.Flag("no-deliver");
        args.RejectUnknown();
        await context.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        var report = await context.Services.GetRequiredService<BudgetEvaluator>().EvaluateAsync(cancellationToken);
        DeliveryReport? delivery = deliver ? await context.Services.GetRequiredService<AlertDeliveryWorker>().RunOnceAsync(cancellationToken) : null;
        if (json)
        {
            var sb = new StringBuilder("{\"budgets\":[");
            sb.Append(string.Join(",", report.Statuses.Select(BudgetApi.StatusJson)));
            sb.Append("],\"alerts_enqueued\":[");
            sb.Append(string.Join(",", report.Enqueued.Select(a => JsonSerializer.Serialize(new { alert_id = a.AlertId, budget = a.BudgetId, threshold = a.Threshold, kind = BudgetDefinition.KindName(a.Kind), summary = a.Summary }))));
            sb.Append("],\"seconds\":").Append(report.Elapsed.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
            if (delivery is not null) sb.Append(",\"delivery\":").Append(JsonSerializer.Serialize(delivery));
            context.Out.WriteLine(sb.Append('}').ToString());
            return 0;
        }
        TextTable.Write(context.Out, ["budget", "period", "spend_usd", "limit_usd", "percent", "forecast_usd", "state"],
            report.Statuses.Select(s => (IReadOnlyList<string>)
            [
                s.BudgetId, s.Period.Key, Money2(s.SpendUsd), s.LimitUsd.ToString(CultureInfo.InvariantCulture),
                s.Percent.ToString(CultureInfo.InvariantCulture), Money2(s.ForecastUsd), s.State.ToString().ToLowerInvariant(),
            ]).ToList(), new HashSet<int> { 2, 3, 4, 5 });
        foreach (var a in report.Enqueued) context.Out.WriteLine($"alert {a.AlertId}: {a.Summary}");
        context.Out.WriteLine($"evaluated {report.Statuses.Count} budget(s) in {report.Elapsed.TotalSeconds:0.###} s; {report.Enqueued.Count} alert(s) enqueued.");
        if (delivery is not null)
            context.Out.WriteLine($"delivery: {delivery.Delivered} delivered, {delivery.Retrying} to retry, {delivery.Failed} failed ('costops alerts list' shows each).");
        return 0;
    }

    /// <summary>Applies the options shared by add and update to a budget.</summary>
    private static Budget Apply(CliArgs args, Budget budget)
    {
        var scope = budget.Scope;
        if (args.Option("project") is { } project) scope = scope with { Project = Blank(project) };
        if (args.Option("user") is { } user) scope = scope with { User = Blank(user) };
        if (args.Option("feature") is { } feature) scope = scope with { Feature = Blank(feature) };
        if (args.Option("provider") is { } provider) scope = scope with { Provider = Blank(provider) };
        if (args.Option("model") is { } model) scope = scope with { Model = Blank(model) };
        if (args.Option("tag") is { } tag)
        {
            var eq = tag.IndexOf('=');
            if (tag.Length > 0 && eq <= 0) throw new CliUsageException("--tag takes key=value.");
            scope = tag.Length == 0 ? scope with { TagKey = null, TagValue = null } : scope with { TagKey = tag[..eq], TagValue = tag[(eq + 1)..] };
        }
        budget = budget with { Scope = scope };

        if (args.Option("period") is { } periodText)
        {
            var errors = new List<string>();
            var period = BudgetDefinition.ParsePeriod(periodText, errors) ?? throw new CliUsageException(errors[0]);
            budget = budget with { Period = period, RollingDays = period == PeriodKind.Rolling ? budget.RollingDays : 0 };
        }
        if (args.Option("days") is { } days)
            budget = budget with { RollingDays = int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : throw new CliUsageException("--days takes a whole number.") };
        if (args.Option("time-zone") is { } zone) budget = budget with { TimeZone = zone };

        var actual = args.Option("thresholds");
        var forecast = args.Option("forecast-threshold");
        if (actual is not null || forecast is not null)
        {
            var keepActual = budget.Thresholds.Where(t => t.Kind == ThresholdKind.Actual);
            var keepForecast = budget.Thresholds.Where(t => t.Kind == ThresholdKind.Forecast);
            budget = budget with
            {
                Thresholds = (actual is null ? keepActual : Percents(actual, ThresholdKind.Actual))
                    .Concat(forecast is null ? keepForecast : Percents(forecast, ThresholdKind.Forecast)).ToList(),
            };
        }

        var channels = budget.Channels;
        if (args.Option("webhook") is { } webhook) channels = channels with { WebhookUrl = Url(webhook, "--webhook") };
        if (args.Option("webhook-secret") is { } secret) channels = channels with { WebhookSecret = secret };
        if (args.Option("slack") is { } slack) channels = channels with { SlackUrl = Url(slack, "--slack") };
        if (args.Option("teams") is { } teams) channels = channels with { TeamsUrl = Url(teams, "--teams") };
        budget = budget with { Channels = channels };

        if (args.Option("action") is { } actionText)
        {
            var errors = new List<string>();
            var action = BudgetDefinition.ParseAction(actionText, errors) ?? throw new CliUsageException(errors[0]);
            budget = budget with { Action = action, RerouteModel = action == BudgetAction.Reroute ? budget.RerouteModel : null };
        }
        if (args.Option("reroute-model") is { } rerouteModel) budget = budget with { RerouteModel = Blank(rerouteModel) };

        if (args.Flag("disabled")) budget = budget with { Enabled = false };
        if (args.Flag("enabled")) budget = budget with { Enabled = true };
        return budget;
    }

    private static IEnumerable<BudgetThreshold> Percents(string list, ThresholdKind kind) =>
        list.Length == 0
            ? []
            : list.Split(',').Select(p => int.TryParse(p.Trim().TrimEnd('%'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
                ? new BudgetThreshold(v, kind)
                : throw new CliUsageException($"'{p}' is not a whole percent (e.g. 50,80,100).")).ToList();

    private static decimal ParseLimit(string text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new CliUsageException($"--limit '{text}' is not a number of USD.");

    // An empty value removes a dimension on update ("--project ''").
    private static string? Blank(string value) => value.Length == 0 ? null : value;

    private static Uri? Url(string text, string option) =>
        text.Length == 0 ? null : Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new CliUsageException($"{option} '{text}' is not an absolute URL.");

    private static string PeriodText(Budget b) =>
        (b.Period == PeriodKind.Rolling ? $"rolling {b.RollingDays}d" : BudgetDefinition.PeriodName(b.Period)) + (b.TimeZone == "UTC" ? "" : " " + b.TimeZone);

    private static string Money2(decimal v) => decimal.Round(v, 2).ToString("0.00", CultureInfo.InvariantCulture);

    private static async Task<StoredBudget> Guard(Func<Task<StoredBudget>> action)
    {
        try
        {
            return await action();
        }
        catch (BudgetValidationException e)
        {
            throw new CliUsageException("invalid budget:\n  " + string.Join("\n  ", e.Errors));
        }
        catch (BudgetConflictException e)
        {
            throw new CliUsageException(e.Message);
        }
        catch (BudgetNotFoundException e)
        {
            throw new CliUsageException($"no budget '{e.Id}'.");
        }
    }
}
