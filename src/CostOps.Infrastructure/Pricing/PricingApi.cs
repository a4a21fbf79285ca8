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
            return ApiProblem.BadRequest.Result("The body must be a JSON object with at least \"model\" and \"prompt\".");
        }
        string? model, prompt, tenant, provider;
        long output, cached;
        bool batch;
        try
        {
            model = Value<string>(request, "model");
            prompt = Value<string>(request, "prompt");
            tenant = Value<string>(request, "tenant");
            provider = Value<string>(request, "provider");
            output = Value<long>(request, "expected_output_tokens");
            cached = Value<long>(request, "cached_input_tokens");
            batch = Value<bool>(request, "batch");
        }
        catch (WrongTypeException e)
        {
            return ApiProblem.BadRequest.Result(e.Message);
        }
        if (string.IsNullOrWhiteSpace(model) || prompt is null) return ApiProblem.BadRequest.Result("\"model\" and \"prompt\" are required.");
        if (output < 0 || cached < 0) return ApiProblem.BadRequest.Result("Token counts must be >= 0.");

        var counted = tokens.Count(model, prompt.AsSpan());
        var usage = new UsageTokens(counted.Tokens, output, Math.Min(cached, counted.Tokens), Batch: batch, Estimated: true);
        var cost = prices.Current.Price(tenant, provider, model, time.GetUtcNow(), usage);
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

    /// <summary>A member of the wanted JSON type, default (null, 0, false) when absent or null; anything else is the caller's mistake (400, not 500).</summary>
    private static T? Value<T>(JsonObject request, string name)
    {
        var node = request[name];
        if (node is null) return default;
        try
        {
            return node.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new WrongTypeException($"\"{name}\" has the wrong JSON type or range ({node.GetValueKind()}).");
        }
    }

    private sealed class WrongTypeException(string message) : Exception(message);
}
