using CostOps.Infrastructure.Pricing;

namespace CostOps.Integration.Tests.Pricing;

public sealed class TokenEstimatorTests
{
    [Theory]
    [InlineData(TokenEncoding.O200kBase)]
    [InlineData(TokenEncoding.Cl100kBase)]
    public void Hello_world_is_two_tokens_in_both_encodings(TokenEncoding encoding)
    {
        Assert.Equal(2, TokenEstimator.Shared.Count(encoding, "hello world"));
        Assert.Equal(0, TokenEstimator.Shared.Count(encoding, ""));
    }

    [Theory]
    [InlineData("gpt-4o-2024-08-06", TokenEncoding.O200kBase, true)]
    [InlineData("gpt-4.1-mini", TokenEncoding.O200kBase, true)]
    [InlineData("gpt-5", TokenEncoding.O200kBase, true)]
    [InlineData("o3-mini", TokenEncoding.O200kBase, true)]
    [InlineData("azure/o4-mini", TokenEncoding.O200kBase, true)]
    [InlineData("gpt-4-0613", TokenEncoding.Cl100kBase, true)]
    [InlineData("gpt-4-turbo", TokenEncoding.Cl100kBase, true)]
    [InlineData("gpt-35-turbo", TokenEncoding.Cl100kBase, true)]
    [InlineData("gpt-3.5-turbo", TokenEncoding.Cl100kBase, true)]
    [InlineData("claude-sonnet-4-5", TokenEncoding.O200kBase, false)]
    [InlineData(null, TokenEncoding.O200kBase, false)]
    public void Picks_the_encoding_by_model_family(string? model, TokenEncoding encoding, bool exact)
    {
        Assert.Equal((encoding, exact), TokenEstimator.EncodingFor(model));
    }

    [Fact]
    public void The_encodings_differ_where_tiktoken_says_they_do()
    {
        // o200k merges long runs of spaces and non-Latin text differently from cl100k.
        const string text = "こんにちは世界、今日はいい天気ですね。                    indentation";
        var o200k = TokenEstimator.Shared.Count(TokenEncoding.O200kBase, text);
        var cl100k = TokenEstimator.Shared.Count(TokenEncoding.Cl100kBase, text);

        Assert.NotEqual(o200k, cl100k);
        Assert.True(o200k < cl100k);
    }

    [Fact]
    public void Estimated_usage_is_marked_estimated()
    {
        var usage = TokenEstimator.Shared.Estimate("gpt-4o", "hello world", "hello world");

        Assert.Equal(2, usage.Input);
        Assert.Equal(2, usage.Output);
        Assert.True(usage.Estimated);
    }
}
