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
    private static readonly CliOption<string> Id = CliOption.Text("id", "ID", "the budget's name").Required();
    private static readonly CliOption<string?> Tenant = CliOption.Text("tenant", "T", "the tenant whose spend counts");
    private static readonly CliOption<decimal?> Limit = CliOption.Decimal("limit", "USD", "the limit per period, in USD", NumberStyles.Number);

    // An empty value removes a dimension or channel on update ("--project ''").
    private static readonly CliOption<string?> Project = CliOption.Text("project", "P", "only this project's spend");
    private static readonly CliOption<string?> User = CliOption.Text("user", "U", "only this user's spend");
    private static readonly CliOption<string?> Feature = CliOption.Text("feature", "F", "only this feature's spend");
    private static readonly CliOption<string?> Provider = CliOption.Text("provider", "P", "only this provider's spend");
    private static readonly CliOption<string?> Model = CliOption.Text("model", "M", "only this model's spend");
    private static readonly CliOption<string?> Tag = CliOption.Text("tag", "KEY=VALUE", "only spend carrying this tag");
    private static readonly CliOption<string?> Period = CliOption.Text("period", "daily|weekly|month|rolling", "the budget period (default month)");
    private static readonly CliOption<int?> Days = CliOption.Int("days", "N", "days of a rolling period", min: 0);
    private static readonly CliOption<string?> TimeZone = CliOption.Text("time-zone", "ZONE", "IANA time zone where periods start (default UTC)");
    private static readonly CliOption<string?> Thresholds = CliOption.Text("thresholds", "50,80,100", "percents of the limit that alert");
    private static readonly CliOption<string?> Forecast = CliOption.Text("forecast-threshold", "100[,..]", "percents of the limit the forecast may reach before it alerts");
    private static readonly CliOption<string?> Webhook = CliOption.Text("webhook", "URL", "post signed alerts to this URL");
    private static readonly CliOption<string?> WebhookSecret = CliOption.Text("webhook-secret", "S", "the webhook signing secret (default: generated, printed once)");
    private static readonly CliOption<string?> Slack = CliOption.Text("slack", "URL", "Slack incoming-webhook URL");
    private static readonly CliOption<string?> Teams = CliOption.Text("teams", "URL", "Teams incoming-webhook URL");
    private static readonly CliOption<string?> Action = CliOption.Text("action", "alert|block|reroute", "what crossing the limit does (default alert)");
    private static readonly CliOption<string?> RerouteModel = CliOption.Text("reroute-model", "M", "the model to reroute to, with --action reroute");
    private static readonly CliFlag Enabled = CliOption.Flag("enabled", "evaluate the budget (the default)");
    private static readonly CliFlag Disabled = CliOption.Flag("disabled", "keep the budget but do not evaluate it");
    private static readonly CliFlag NoDeliver = CliOption.Flag("no-deliver", "enqueue alerts without delivering them");

    /// <summary>What add and update both set (<see cref="Apply"/>).</summary>
    private static readonly CliOption[] Definition =
        [Project, User, Feature, Provider, Model, Tag, Period, Days, TimeZone, Thresholds, Forecast, Webhook, WebhookSecret, Slack, Teams, Action, RerouteModel, Enabled, Disabled];

    public CliSyntax Syntax { get; } = new(
        new CliForm("add", "", "add a budget", [Id, Tenant.Required(), Limit.Required(), .. Definition]),
        new CliForm("update", "ID", "change a budget: the options given replace, the others stay", [Tenant, Limit, .. Definition]),
        new CliForm("list", "", "every budget", [CliOption.Json]),
        new CliForm("show", "ID", "a budget's definition and current status", []),
        new CliForm("remove", "ID", "delete a budget", []),
        new CliForm("rotate-secret", "ID", "give a budget's webhook a new signing secret, printed once", []),
        new CliForm("evaluate", "", "run one evaluation tick now: statuses, alerts, deliveries", [NoDeliver, CliOption.Json]));
    public bool NeedsTables => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var service = context.Services.GetRequiredService<BudgetService>();
        switch (args.Positional)
        {
            case ["add"]:
            {
                var budget = Apply(args, new Budget { Id = args.Get(Id), Scope = new BudgetScope(args.Get(Tenant)!), LimitUsd = args.Get(Limit)!.Value });
                var stored = await Guard(() => service.AddAsync(budget, cancellationToken));
                context.Out.WriteLine($"added budget '{stored.Budget.Id}'.");
                if (stored.Budget.Channels.WebhookSecret is { } secret && args.Get(WebhookSecret) is null)
                    context.Out.WriteLine($"webhook signing secret (shown once, configure it at the receiver): {secret}");
                return 0;
            }
            case ["update", var id]:
            {
                var existing = await service.GetAsync(id, cancellationToken) ?? throw new CliUsageException($"no budget '{id}'.");
                var budget = existing.Budget;
                if (args.Get(Tenant) is { } tenant) budget = budget with { Scope = budget.Scope with { Tenant = tenant } };
                if (args.Get(Limit) is { } limit) budget = budget with { LimitUsd = limit };
                budget = Apply(args, budget);
                await Guard(() => service.UpdateAsync(budget, existing.ETag, cancellationToken));
                context.Out.WriteLine($"updated budget '{id}'.");
                return 0;
            }
            case ["list"]:
            {
                var json = args.Has(CliOption.Json);
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
                var stored = await service.GetAsync(id, cancellationToken) ?? throw new CliUsageException($"no budget '{id}'.");
                using var doc = JsonDocument.Parse(BudgetDefinition.ToJson(stored.Budget, includeSecret: false));
                context.Out.WriteLine(JsonSerializer.Serialize(doc.RootElement, new JsonSerializerOptions { WriteIndented = true }));
                var status = await context.Services.GetRequiredService<BudgetStatusService>().GetAsync(id, cancellationToken);
                if (status is not null) context.Out.WriteLine(BudgetApi.StatusJson(status));
                return 0;
            }
            case ["rotate-secret", var id]:
            {
                var rotated = await Guard(() => service.RotateSecretAsync(id, cancellationToken));
                context.Out.WriteLine($"new webhook signing secret of budget '{id}' (shown once; the old one no longer signs): {rotated.Budget.Channels.WebhookSecret}");
                return 0;
            }
            case ["remove", var id]:
            {
                if (!await service.DeleteAsync(id, null, cancellationToken)) throw new CliUsageException($"no budget '{id}'.");
                context.Out.WriteLine($"removed budget '{id}'.");
                return 0;
            }
            case ["evaluate"]:
                return await EvaluateAsync(args, context, cancellationToken);
            default:
                throw new CliUsageException($"unknown budgets action '{string.Join(' ', args.Positional)}'.");
        }
    }

    private static async Task<int> EvaluateAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var json = args.Has(CliOption.Json);
        var deliver = !args.Has(NoDeliver);
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
        if (args.Get(Project) is { } project) scope = scope with { Project = Blank(project) };
        if (args.Get(User) is { } user) scope = scope with { User = Blank(user) };
        if (args.Get(Feature) is { } feature) scope = scope with { Feature = Blank(feature) };
        if (args.Get(Provider) is { } provider) scope = scope with { Provider = Blank(provider) };
        if (args.Get(Model) is { } model) scope = scope with { Model = Blank(model) };
        if (args.Get(Tag) is { } tag)
        {
            var eq = tag.IndexOf('=');
            if (tag.Length > 0 && eq <= 0) throw new CliUsageException($"{Tag} takes key=value.");
            scope = tag.Length == 0 ? scope with { TagKey = null, TagValue = null } : scope with { TagKey = tag[..eq], TagValue = tag[(eq + 1)..] };
        }
        budget = budget with { Scope = scope };

        if (args.Get(Period) is { } periodText)
        {
            var errors = new List<string>();
            var period = BudgetDefinition.ParsePeriod(periodText, errors) ?? throw new CliUsageException(errors[0]);
            budget = budget with { Period = period, RollingDays = period == PeriodKind.Rolling ? budget.RollingDays : 0 };
        }
        if (args.Get(Days) is { } days) budget = budget with { RollingDays = days };
        if (args.Get(TimeZone) is { } zone) budget = budget with { TimeZone = zone };

        var actual = args.Get(Thresholds);
        var forecast = args.Get(Forecast);
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
        if (args.Get(Webhook) is { } webhook) channels = channels with { WebhookUrl = Url(webhook, Webhook) };
        if (args.Get(WebhookSecret) is { } secret) channels = channels with { WebhookSecret = secret };
        if (args.Get(Slack) is { } slack) channels = channels with { SlackUrl = Url(slack, Slack) };
        if (args.Get(Teams) is { } teams) channels = channels with { TeamsUrl = Url(teams, Teams) };
        budget = budget with { Channels = channels };

        if (args.Get(Action) is { } actionText)
        {
            var errors = new List<string>();
            var action = BudgetDefinition.ParseAction(actionText, errors) ?? throw new CliUsageException(errors[0]);
            budget = budget with { Action = action, RerouteModel = action == BudgetAction.Reroute ? budget.RerouteModel : null };
        }
        if (args.Get(RerouteModel) is { } rerouteModel) budget = budget with { RerouteModel = Blank(rerouteModel) };

        if (args.Has(Disabled)) budget = budget with { Enabled = false };
        if (args.Has(Enabled)) budget = budget with { Enabled = true };
        return budget;
    }

    private static IEnumerable<BudgetThreshold> Percents(string list, ThresholdKind kind) =>
        list.Length == 0
            ? []
            : list.Split(',').Select(p => int.TryParse(p.Trim().TrimEnd('%'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
                ? new BudgetThreshold(v, kind)
                : throw new CliUsageException($"'{p}' is not a whole percent (e.g. 50,80,100).")).ToList();

    private static string? Blank(string value) => value.Length == 0 ? null : value;

    private static Uri? Url(string text, CliOption option) =>
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
