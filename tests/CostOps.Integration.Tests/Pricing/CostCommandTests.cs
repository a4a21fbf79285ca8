using System.Text.Json;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Pricing;

/// <summary>The real <c>costops</c> binary: <c>cost --json</c> is a contract scripts rely on.</summary>
public sealed class CostCommandTests
{
    [Fact]
    public async Task Cost_json_prints_exact_decimal_strings_and_the_price_version()
    {
        var result = await new CliProcess().RunAsync(
            "cost", "--model", "claude-sonnet-4-5-20250929", "--provider", "anthropic", "--input-tokens", "250000",
            "--output-tokens", "2000", "--cached-input-tokens", "100000", "--cache-write-tokens", "10000", "--reasoning-tokens", "500",
            "--at", "2025-12-01T00:00:00Z", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("anthropic", root.GetProperty("provider").GetString());
        Assert.Equal("claude-sonnet-4-5", root.GetProperty("model").GetString());
        // Above 200K input: 140,000 × $6 + 100,000 × $0.60 + 10,000 × $7.50 + 2,000 × $22.50 per million.
        Assert.Equal("1.02", root.GetProperty("cost_usd").GetString());
        Assert.Equal("priced", root.GetProperty("price_status").GetString());
        Assert.Equal("anthropic/claude-sonnet-4-5@2025-09-29", root.GetProperty("price_version").GetString());
        Assert.Equal("0.84", root.GetProperty("components").GetProperty("input_usd").GetString());
        Assert.Contains("above_tier", root.GetProperty("notes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Unknown_model_exits_1_and_shows_the_fallback_estimate()
    {
        var result = await new CliProcess().RunAsync("cost", "--model", "my-private-model", "--input-tokens", "10", "--output-tokens", "1", "--json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("estimated_price", json.RootElement.GetProperty("price_status").GetString());
        // The documented default for an unknown provider, $15 / $75 per 1M: 10 x 15 / 1e6 + 1 x 75 / 1e6.
        Assert.Equal("0.000225", json.RootElement.GetProperty("cost_usd").GetString());
        Assert.Equal("estimate:default@2000-01-01", json.RootElement.GetProperty("price_version").GetString());
    }
}

/// <summary>
/// The real <c>costops cost</c> on this year's flagship models, against the community map's own figures (hand-computed
/// from the shipped snapshot: USD per token × tokens).
/// </summary>
public sealed class FlagshipCostTests
{
    [Theory]
    // gpt-5.5: 1,000,000 input is above its 272k tier: 0.00001 in, 0.000045 out -> 10 + 4.5.
    [InlineData("openai", "gpt-5.5", "14.5")]
    // claude-opus-4-7: 0.000005 / 0.000025 -> 5 + 2.5.
    [InlineData("anthropic", "claude-opus-4-7", "7.5")]
    // gemini-3.1-pro-preview (Gemini API): 1,000,000 input is above its 200k tier: 0.000004 / 0.000018 -> 4 + 1.8.
    [InlineData("gcp.gemini", "gemini-3.1-pro-preview", "5.8")]
    // grok-4.5: 0.000002 / 0.000006 -> 2 + 0.6.
    [InlineData("x_ai", "grok-4.5", "2.6")]
    // mistral-large-3: 0.0000005 / 0.0000015 -> 0.5 + 0.15.
    [InlineData("mistral_ai", "mistral-large-3", "0.65")]
    // deepseek-v4-pro: 0.000000435 / 0.00000087 -> 0.435 + 0.087.
    [InlineData("deepseek", "deepseek-v4-pro", "0.522")]
    public async Task Flagships_cost_what_the_map_says(string provider, string model, string expected)
    {
        var result = await new CliProcess().RunAsync("cost", "--provider", provider, "--model", model, "--input-tokens", "1000000",
            "--output-tokens", "100000", "--at", "2026-11-15T00:00:00Z", "--json");

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(expected, json.RootElement.GetProperty("cost_usd").GetString());
    }

    [Fact]
    public async Task Units_beyond_tokens_are_priced_per_unit()
    {
        // tts-1: input_cost_per_character 0.000015 -> 4,321 characters = 0.064815.
        var result = await new CliProcess().RunAsync("cost", "--provider", "openai", "--model", "tts-1", "--input-tokens", "0",
            "--output-tokens", "0", "--characters", "4321", "--json");

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("0.064815", json.RootElement.GetProperty("cost_usd").GetString());
        Assert.Equal("0.064815", json.RootElement.GetProperty("components").GetProperty("units_usd").GetString());
    }
}
