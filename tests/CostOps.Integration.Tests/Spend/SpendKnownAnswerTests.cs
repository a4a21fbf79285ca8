using System.Text;
using CostOps.Infrastructure.Spend;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Spend;

/// <summary><c>GET /api/spend</c> and <c>costops spend</c> on the same hand-computed dataset (see <see cref="SpendKnownAnswer"/>).</summary>
public sealed class SpendKnownAnswerTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    [Fact]
    public async Task The_spend_API_answers_the_known_dataset_with_the_hand_computed_figures()
    {
        var summary = await fixture.Handler.HandleAsync([Encoding.UTF8.GetBytes(SpendKnownAnswer.Ndjson)], "test", CancellationToken.None);
        Assert.Equal((6, 1), (summary.Accepted, summary.Duplicates));
        var api = fixture.Host.Get<SpendApi>();

        var result = await api.GetAsync(SpendKnownAnswer.From, SpendKnownAnswer.To, SpendKnownAnswer.GroupBy, null, CancellationToken.None);

        Assert.Equal(200, result.Status);
        SpendKnownAnswer.AssertMatches(result.Json!);
        var one = await api.GetAsync(SpendKnownAnswer.From, SpendKnownAnswer.To, "model", "ka-beta", CancellationToken.None);
        Assert.Equal(2, System.Text.Json.Nodes.JsonNode.Parse(one.Json!)!.AsArray().Count);
    }

    [Fact]
    public async Task The_spend_API_refuses_bad_input_with_400_and_a_reason()
    {
        var api = fixture.Host.Get<SpendApi>();

        var badDate = await api.GetAsync("yesterday", null, null, null, CancellationToken.None);
        // Month-first or day-first? The general parser took it as the 1st of November; the one parser refuses it.
        var ambiguousDate = await api.GetAsync("11/01/2026", null, null, null, CancellationToken.None);
        var badGroup = await api.GetAsync(null, null, "tenant,colour", null, CancellationToken.None);

        Assert.Equal(400, badDate.Status);
        Assert.Contains("'from' must be an ISO 8601 date or instant", badDate.Json);
        Assert.Equal(400, ambiguousDate.Status);
        Assert.Contains("'from' must be an ISO 8601 date or instant", ambiguousDate.Json);
        Assert.Equal(400, badGroup.Status);
        Assert.Contains("not colour", badGroup.Json);
    }

    [Fact]
    public async Task Costops_spend_prints_the_same_figures_for_the_known_dataset()
    {
        var cli = new CliProcess();
        Directory.CreateDirectory(cli.StateDirectory);
        var file = Path.Combine(cli.StateDirectory, "known.ndjson");
        await File.WriteAllTextAsync(file, SpendKnownAnswer.Ndjson);

        var ingest = await cli.RunAsync("ingest", file);
        Assert.True(ingest.ExitCode == 0, ingest.Error);
        var spend = await cli.RunAsync("spend", "--from", SpendKnownAnswer.From, "--to", SpendKnownAnswer.To, "--group-by", SpendKnownAnswer.GroupBy, "--json");

        Assert.True(spend.ExitCode == 0, spend.Error);
        SpendKnownAnswer.AssertMatches(spend.Out);
    }
}
