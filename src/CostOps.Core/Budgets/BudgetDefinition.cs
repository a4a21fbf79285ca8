using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CostOps.Core.Ingestion;

namespace CostOps.Core.Budgets;

/// <summary>
/// The JSON form of a budget (HTTP API, Azure Tables, <c>costops budgets show</c>) and its validation. Parsing
/// collects every problem instead of stopping at the first, and names unknown fields, so a typo never turns into a
/// silently different budget.
/// </summary>
public static partial class BudgetDefinition
{
    public const int MaxThresholdPercent = 1000;
    public const int MaxRollingDays = 366;
    public const decimal MaxLimitUsd = 1_000_000_000_000m;

    private static readonly string[] TopFields = ["id", "scope", "period", "rollingDays", "timeZone", "limitUsd", "thresholds", "channels", "enabled", "action", "rerouteModel"];
    private static readonly string[] ScopeFields = ["tenant", "project", "user", "feature", "provider", "model", "tag"];
    private static readonly string[] ThresholdFields = ["percent", "kind"];
    private static readonly string[] ChannelFields = ["webhook", "webhookSecret", "slack", "teams"];

    /// <summary>Parses and validates; throws <see cref="BudgetValidationException"/> listing every problem.</summary>
    /// <param name="idFromRoute">When the id comes from the URL, the body may omit it but must not contradict it.</param>
    /// <param name="stored">The stored budget an update replaces: a shown (masked) Slack or Teams URL or secret sent back keeps its stored value.</param>
    /// <param name="checkTargets">False when reading a stored definition: its targets were checked when written, and
    /// delivery checks every address again when connecting, so a policy change never makes a stored budget unreadable.</param>
    public static Budget Parse(string json, bool allowLocalUrls, string? idFromRoute = null, Budget? stored = null, bool checkTargets = true)
    {
        var errors = new List<string>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new BudgetValidationException([$"body: not valid JSON ({e.Message})"]);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new BudgetValidationException(["body: a JSON object is expected."]);
            Unknown(root, TopFields, "", errors);

            var id = String(root, "id", "id", errors);
            if (idFromRoute is not null)
            {
                if (id is not null && id != idFromRoute) errors.Add($"id: '{id}' in the body differs from '{idFromRoute}' in the URL.");
                id ??= idFromRoute;
            }

            BudgetScope? scope = null;
            if (!root.TryGetProperty("scope", out var s) || s.ValueKind != JsonValueKind.Object)
            {
                errors.Add("scope: required, an object with at least 'tenant'.");
            }
            else
            {
                Unknown(s, ScopeFields, "scope.", errors);
                var tag = String(s, "tag", "scope.tag", errors);
                string? tagKey = null, tagValue = null;
                if (tag is not null)
                {
                    var eq = tag.IndexOf('=');
                    if (eq <= 0) errors.Add("scope.tag: expected key=value.");
                    else (tagKey, tagValue) = (tag[..eq], tag[(eq + 1)..]);
                }
                scope = new BudgetScope(
                    String(s, "tenant", "scope.tenant", errors) ?? "",
                    String(s, "project", "scope.project", errors),
                    String(s, "user", "scope.user", errors),
                    String(s, "feature", "scope.feature", errors),
                    String(s, "provider", "scope.provider", errors),
                    String(s, "model", "scope.model", errors),
                    tagKey, tagValue);
            }

            var periodText = String(root, "period", "period", errors) ?? "month";
            var period = ParsePeriod(periodText, errors);
            var rollingDays = Int(root, "rollingDays", "rollingDays", errors) ?? 0;
            var timeZone = String(root, "timeZone", "timeZone", errors) ?? "UTC";

            decimal? limit = null;
            if (!root.TryGetProperty("limitUsd", out var l)) errors.Add("limitUsd: required.");
            else if (l.ValueKind != JsonValueKind.Number || !l.TryGetDecimal(out var lv)) errors.Add("limitUsd: must be a number.");
            else limit = lv;

            var thresholds = new List<BudgetThreshold>();
            if (root.TryGetProperty("thresholds", out var t) && t.ValueKind != JsonValueKind.Null)
            {
                if (t.ValueKind != JsonValueKind.Array) errors.Add("thresholds: must be an array of {percent, kind}.");
                else
                {
                    var i = 0;
                    foreach (var item in t.EnumerateArray())
                    {
                        var field = $"thresholds[{i++}]";
                        if (item.ValueKind != JsonValueKind.Object) { errors.Add($"{field}: must be an object {{percent, kind}}."); continue; }
                        Unknown(item, ThresholdFields, field + ".", errors);
                        var percent = Int(item, "percent", field + ".percent", errors);
                        var kindText = String(item, "kind", field + ".kind", errors) ?? "actual";
                        ThresholdKind? kind = kindText switch
                        {
                            "actual" => ThresholdKind.Actual,
                            "forecast" => ThresholdKind.Forecast,
                            _ => null,
                        };
                        if (kind is null) errors.Add($"{field}.kind: '{kindText}' is not one of actual, forecast.");
                        if (percent is null) errors.Add($"{field}.percent: required.");
                        if (percent is not null && kind is not null) thresholds.Add(new(percent.Value, kind.Value));
                    }
                }
            }
            else
            {
                thresholds.AddRange(Budget.DefaultThresholds);
            }

            var channels = BudgetChannels.None;
            if (root.TryGetProperty("channels", out var c) && c.ValueKind != JsonValueKind.Null)
            {
                if (c.ValueKind != JsonValueKind.Object) errors.Add("channels: must be an object.");
                else
                {
                    Unknown(c, ChannelFields, "channels.", errors);
                    var secret = String(c, "webhookSecret", "channels.webhookSecret", errors);
                    // A secret is shown as its hint; sending a shown definition back keeps the stored secret (null: keep).
                    if (secret is not null && IsHint(secret))
                    {
                        if (secret != Masked && (stored?.Channels.WebhookSecret is not { } kept || Hint(kept) != secret))
                            errors.Add($"channels.webhookSecret: '{secret}' is a masked hint of no stored secret; send the secret, or '***' to keep the stored one.");
                        secret = null;
                    }
                    channels = new BudgetChannels(
                        Url(c, "webhook", errors), secret,
                        Url(c, "slack", errors, stored?.Channels.SlackUrl), Url(c, "teams", errors, stored?.Channels.TeamsUrl));
                }
            }

            var enabled = true;
            if (root.TryGetProperty("enabled", out var en))
            {
                if (en.ValueKind is JsonValueKind.True or JsonValueKind.False) enabled = en.GetBoolean();
                else errors.Add("enabled: must be true or false.");
            }

            var actionText = String(root, "action", "action", errors) ?? "alert";
            BudgetAction? action = ParseAction(actionText, errors);
            var rerouteModel = String(root, "rerouteModel", "rerouteModel", errors);

            if (errors.Count > 0 || scope is null || period is null || limit is null || action is null)
            {
                throw new BudgetValidationException(errors.Count > 0 ? errors : ["body: incomplete budget."]);
            }
            var budget = new Budget
            {
                Id = id ?? "",
                Scope = scope,
                Period = period.Value,
                RollingDays = rollingDays,
                TimeZone = timeZone,
                LimitUsd = limit.Value,
                Thresholds = thresholds,
                Channels = channels,
                Enabled = enabled,
                Action = action.Value,
                RerouteModel = rerouteModel,
            };
            ThrowIfInvalid(budget, allowLocalUrls, checkTargets);
            return budget;
        }
    }

    /// <summary>Every rule a budget must satisfy, as messages naming the field; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(Budget budget, bool allowLocalUrls, bool checkTargets = true)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(budget.Id)) errors.Add("id: required.");
        else if (!IdPattern().IsMatch(budget.Id))
            errors.Add($"id: '{budget.Id}' must be 1-64 letters, digits, '-' or '_', starting with a letter or digit.");

        if (string.IsNullOrWhiteSpace(budget.Scope.Tenant)) errors.Add("scope.tenant: required.");
        CheckDimension(budget.Scope.Tenant, "scope.tenant", errors);
        CheckDimension(budget.Scope.Project, "scope.project", errors);
        CheckDimension(budget.Scope.User, "scope.user", errors);
        CheckDimension(budget.Scope.Feature, "scope.feature", errors);
        // Tenant, project and feature are names ingestion holds to an alphabet (DimensionNames): a budget on a name
        // outside it could never match any stored event, and would sit at $0 while the spend it meant went uncounted.
        CheckAlphabet(budget.Scope.Tenant, "scope.tenant", DimensionNames.IsValidTenant, errors);
        CheckAlphabet(budget.Scope.Project, "scope.project", DimensionNames.IsValidProject, errors);
        CheckAlphabet(budget.Scope.Feature, "scope.feature", DimensionNames.IsValidFeature, errors);
        CheckDimension(budget.Scope.Provider, "scope.provider", errors);
        CheckDimension(budget.Scope.Model, "scope.model", errors);
        if ((budget.Scope.TagKey is null) != (budget.Scope.TagValue is null)) errors.Add("scope.tag: give both key and value (key=value).");
        if (budget.Scope.TagKey is not null)
        {
            if (budget.Scope.TagKey.Length == 0) errors.Add("scope.tag: the key must not be empty.");
            CheckDimension(budget.Scope.TagKey, "scope.tag", errors);
            CheckDimension(budget.Scope.TagValue, "scope.tag", errors);
        }

        if (budget.Period == PeriodKind.Rolling)
        {
            if (budget.RollingDays is < 1 or > MaxRollingDays) errors.Add($"rollingDays: a rolling period needs 1..{MaxRollingDays} days (got {budget.RollingDays}).");
        }
        else if (budget.RollingDays != 0)
        {
            errors.Add($"rollingDays: only for period 'rolling' (period is '{PeriodName(budget.Period)}').");
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(budget.TimeZone, out _))
            errors.Add($"timeZone: '{budget.TimeZone}' is not a known IANA time zone (e.g. UTC, Europe/Berlin, America/New_York).");

        if (budget.LimitUsd <= 0) errors.Add($"limitUsd: must be greater than 0 (got {budget.LimitUsd.ToString(CultureInfo.InvariantCulture)}).");
        else if (budget.LimitUsd > MaxLimitUsd) errors.Add($"limitUsd: must be at most {MaxLimitUsd.ToString(CultureInfo.InvariantCulture)}.");
        else if (budget.LimitUsd.Scale > 9) errors.Add("limitUsd: at most 9 decimal places.");

        if (budget.Thresholds.Count == 0) errors.Add("thresholds: give at least one, or omit the field for the default 50, 80, 100.");
        foreach (var t in budget.Thresholds)
        {
            if (t.Percent is < 1 or > MaxThresholdPercent) errors.Add($"thresholds: {t.Percent}% is out of range 1..{MaxThresholdPercent}.");
        }
        foreach (var dup in budget.Thresholds.GroupBy(t => t).Where(g => g.Count() > 1))
            errors.Add($"thresholds: {dup.Key} is given more than once.");

        if (budget.RerouteModel is not null && budget.Action != BudgetAction.Reroute)
            errors.Add($"rerouteModel: only with action 'reroute' (action is '{ActionName(budget.Action)}').");
        CheckDimension(budget.RerouteModel, "rerouteModel", errors);

        var ch = budget.Channels;
        foreach (var (channel, url) in checkTargets ? ch.Targets() : [])
            WebhookUrlRules.Check(url, "channels." + channel, allowLocalUrls, errors);
        if (ch.WebhookSecret is not null && ch.WebhookUrl is null) errors.Add("channels.webhookSecret: only with channels.webhook.");
        // A webhook given without a secret gets a generated one when saved; one given must be worth its name.
        if (ch.WebhookSecret is not null && ch.WebhookSecret.Length < 16)
            errors.Add("channels.webhookSecret: a signing secret needs at least 16 characters.");
        return errors;
    }

    public static void ThrowIfInvalid(Budget budget, bool allowLocalUrls, bool checkTargets = true)
    {
        var errors = Validate(budget, allowLocalUrls, checkTargets);
        if (errors.Count > 0) throw new BudgetValidationException(errors);
    }

    /// <summary>
    /// The JSON form. Without <paramref name="includeSecret"/> (every answer but storage) the credentials are write-only:
    /// the webhook secret and the Slack and Teams URLs (bearer credentials) are shown as a hint (<see cref="Hint"/>);
    /// <paramref name="revealWebhookSecret"/> shows a generated secret the one time it is handed out.
    /// </summary>
    public static string ToJson(Budget budget, bool includeSecret, bool revealWebhookSecret = false)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            Write(w, budget, includeSecret, revealWebhookSecret);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>How a write-only value is shown: <c>***</c> and its last 4 characters (only <c>***</c> when it is short).</summary>
    public static string Hint(string secret) => secret.Length >= 16 ? Masked + secret[^4..] : Masked;

    private const string Masked = "***";

    private static bool IsHint(string text) => text.StartsWith(Masked, StringComparison.Ordinal);

    /// <summary>Writes the JSON form (see <see cref="ToJson"/>) into a writer, e.g. inside a list.</summary>
    public static void Write(Utf8JsonWriter w, Budget budget, bool includeSecret, bool revealWebhookSecret = false)
    {
        w.WriteStartObject();
        w.WriteString("id", budget.Id);
        w.WriteStartObject("scope");
        w.WriteString("tenant", budget.Scope.Tenant);
        WriteOptional(w, "project", budget.Scope.Project);
        WriteOptional(w, "user", budget.Scope.User);
        WriteOptional(w, "feature", budget.Scope.Feature);
        WriteOptional(w, "provider", budget.Scope.Provider);
        WriteOptional(w, "model", budget.Scope.Model);
        if (budget.Scope.TagKey is not null) w.WriteString("tag", $"{budget.Scope.TagKey}={budget.Scope.TagValue}");
        w.WriteEndObject();
        w.WriteString("period", PeriodName(budget.Period));
        if (budget.Period == PeriodKind.Rolling) w.WriteNumber("rollingDays", budget.RollingDays);
        w.WriteString("timeZone", budget.TimeZone);
        w.WriteNumber("limitUsd", budget.LimitUsd);
        w.WriteStartArray("thresholds");
        foreach (var t in budget.Thresholds)
        {
            w.WriteStartObject();
            w.WriteNumber("percent", t.Percent);
            w.WriteString("kind", KindName(t.Kind));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("channels");
        WriteOptional(w, "webhook", budget.Channels.WebhookUrl?.ToString());
        if (budget.Channels.WebhookSecret is { } secret) w.WriteString("webhookSecret", includeSecret || revealWebhookSecret ? secret : Hint(secret));
        WriteOptional(w, "slack", budget.Channels.SlackUrl is { } slack ? includeSecret ? slack.ToString() : Hint(slack.ToString()) : null);
        WriteOptional(w, "teams", budget.Channels.TeamsUrl is { } teams ? includeSecret ? teams.ToString() : Hint(teams.ToString()) : null);
        w.WriteEndObject();
        w.WriteBoolean("enabled", budget.Enabled);
        w.WriteString("action", ActionName(budget.Action));
        WriteOptional(w, "rerouteModel", budget.RerouteModel);
        w.WriteEndObject();
    }

    public static string PeriodName(PeriodKind kind) => kind switch
    {
        PeriodKind.Daily => "daily",
        PeriodKind.Weekly => "weekly",
        PeriodKind.Month => "month",
        _ => "rolling",
    };

    public static string ActionName(BudgetAction action) => action.ToString().ToLowerInvariant();

    /// <summary>Actions as typed: alert (the default, report only), block, reroute.</summary>
    public static BudgetAction? ParseAction(string text, ICollection<string> errors)
    {
        BudgetAction? action = text switch
        {
            "alert" => BudgetAction.Alert,
            "block" => BudgetAction.Block,
            "reroute" => BudgetAction.Reroute,
            _ => null,
        };
        if (action is null) errors.Add($"action: '{text}' is not one of alert, block, reroute.");
        return action;
    }

    public static string KindName(ThresholdKind kind) => kind == ThresholdKind.Actual ? "actual" : "forecast";

    /// <summary>Period names as typed by people: daily/day, weekly/week, month/monthly, rolling.</summary>
    public static PeriodKind? ParsePeriod(string text, ICollection<string> errors)
    {
        PeriodKind? kind = text switch
        {
            "daily" or "day" => PeriodKind.Daily,
            "weekly" or "week" => PeriodKind.Weekly,
            "month" or "monthly" => PeriodKind.Month,
            "rolling" => PeriodKind.Rolling,
            _ => null,
        };
        if (kind is null) errors.Add($"period: '{text}' is not one of daily, weekly, month, rolling.");
        return kind;
    }

    private static void CheckDimension(string? value, string field, ICollection<string> errors)
    {
        if (value is null) return;
        if (value.Length == 0) errors.Add($"{field}: must not be empty (omit it to match every value).");
        if (value.Length > 256) errors.Add($"{field}: at most 256 characters.");
        if (value.Any(char.IsControl)) errors.Add($"{field}: control characters are not allowed.");
    }

    private static void CheckAlphabet(string? value, string field, Func<string, bool> valid, ICollection<string> errors)
    {
        if (string.IsNullOrEmpty(value) || valid(value)) return;
        errors.Add($"{field}: '{value}' is not a name ingestion accepts: letters, digits and . _ - : @{(field == "scope.feature" ? " /" : "")}, "
            + $"starting with a letter or digit{(field == "scope.feature" ? " or /" : "")} (docs/usage-event.md).");
    }

    private static void Unknown(JsonElement obj, string[] known, string prefix, ICollection<string> errors)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (!known.Contains(p.Name, StringComparer.Ordinal))
                errors.Add($"{prefix}{p.Name}: unknown field (known: {string.Join(", ", known)}).");
        }
    }

    private static string? String(JsonElement obj, string name, string field, ICollection<string> errors)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String) { errors.Add($"{field}: must be a string."); return null; }
        return v.GetString();
    }

    private static int? Int(JsonElement obj, string name, string field, ICollection<string> errors)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i)) { errors.Add($"{field}: must be a whole number."); return null; }
        return i;
    }

    private static Uri? Url(JsonElement obj, string name, ICollection<string> errors, Uri? stored = null)
    {
        var text = String(obj, name, "channels." + name, errors);
        if (text is null) return null;
        if (IsHint(text))
        {
            if (stored is not null && Hint(stored.ToString()) == text) return stored;
            errors.Add($"channels.{name}: '{text}' is a masked hint of no stored URL; send the URL.");
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) { errors.Add($"channels.{name}: '{text}' is not an absolute URL."); return null; }
        return uri;
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\z")]
    private static partial Regex IdPattern();
}
