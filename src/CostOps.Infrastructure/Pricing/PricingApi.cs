using System.Globalization;
using System.Text.Json.Nodes;
using CostOps.Core.Pricing;
using CostOps.Infrastructure.Hosting;
using CostOps.Infrastructure.Ingestion;

namespace CostOps.Infrastructure.Pricing;

/// <summary>
/// <c>GET /api/prices</c> (the prices in force) and <c>POST /api/estimate</c> (count a prompt's tokens and price the
/// call before it is made), host-neutral for the Functions app and <c>costops serve</c>.
/// </summary>
public sealed class PricingApi(IPriceCatalogSource prices, TokenEstimator tokens, TimeProvider time)
{
    public ApiResult List(string? provider)
    {
        var now = time.GetUtcNow();
        var catalog = prices.Current;
        var items = new JsonArray();
        foreach (var model in catalog.Models.Where(m => provider is null || m.Provider.OtelName() == provider).OrderBy(m => m.Provider).ThenBy(m => m.Model))
        {
            var price = PriceCatalog.PriceAt(model, now);
            items.Add(JsonNode.Parse($$"""{"provider":"{{model.Provider.OtelName()}}","model":"{{model.Model}}","price":{{PriceCatalogJson.SerializePrice(price)}}}"""));
        }
        return new ApiResult(200, new JsonObject { ["catalog_version"] = catalog.Version, ["models"] = items }.ToJsonString());
    }

    /// <summary>Body: <c>{"model", "provider"?, "tenant"?, "prompt", "expected_output_tokens"?, "cached_input_tokens"?, "batch"?}</c>.</summary>
    public ApiResult Estimate(string body)
    {
        JsonObject request;
        try
        {
            request = JsonNode.Parse(body)?.AsObject() ?? throw new FormatException();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return UsageApiProblems.BadRequest("The body must be a JSON object with at least \"model\" and \"prompt\".");
        }
        var model = request["model"]?.GetValue<string>();
        var prompt = request["prompt"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(model) || prompt is null) return UsageApiProblems.BadRequest("\"model\" and \"prompt\" are required.");
        var output = request["expected_output_tokens"]?.GetValue<long>() ?? 0;
        var cached = request["cached_input_tokens"]?.GetValue<long>() ?? 0;
        if (output < 0 || cached < 0) return UsageApiProblems.BadRequest("Token counts must be >= 0.");

        var counted = tokens.Count(model, prompt.AsSpan());
        var usage = new UsageTokens(counted.Tokens, output, Math.Min(cached, counted.Tokens), Batch: request["batch"]?.GetValue<bool>() ?? false, Estimated: true);
        var cost = prices.Current.Price(request["tenant"]?.GetValue<string>(), request["provider"]?.GetValue<string>(), model, time.GetUtcNow(), usage);
        var result = new JsonObject
        {
            ["model"] = cost.CanonicalModel ?? model,
            ["provider"] = cost.Provider.OtelName(),
            ["input_tokens"] = counted.Tokens,
            ["tokenizer"] = counted.Encoding.ToString(),
            ["exact_tokenizer"] = counted.Exact,
            ["output_tokens"] = output,
            ["cost_usd"] = cost.Total.ToString(CultureInfo.InvariantCulture),
            ["price_status"] = cost.Status.ToWireName(),
            ["price_version"] = cost.PriceVersion,
        };
        return new ApiResult(200, result.ToJsonString());
    }
}
