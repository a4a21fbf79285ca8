using System.Text;
using System.Text.Json;
using CostOps.Core.Ingestion;

namespace CostOps.Core.Tests.Ingestion;

/// <summary>
/// The corpus in docs/examples/mixed-with-rejects.ndjson: good and bad events side by side, each line saying
/// what must happen to it in an <c>_expect</c> member (ignored by the parser, like any unknown member). Lines
/// that are not JSON objects cannot carry one, so they expect the framing codes.
/// </summary>
public sealed class BadInputCorpusTests
{
    private const string CorpusPath = "docs/examples/mixed-with-rejects.ndjson";
    private readonly UsageEventParser _parser = UsageEventJson.Parser();

    private static List<(string Line, string Expect)> Corpus()
    {
        var lines = Encoding.UTF8.GetString(RepoFile.Read(CorpusPath)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Select(line => (line, ExpectedOf(line))).ToList();
    }

    private static string ExpectedOf(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.GetProperty("_expect").GetString()! : "event_not_object";
        }
        catch (JsonException)
        {
            return "event_malformed_json";
        }
    }

    [Fact]
    public void Corpus_covers_every_kind_of_bad_input()
    {
        var expected = Corpus().Select(c => c.Expect).ToHashSet();

        Assert.Superset(new HashSet<string>
        {
            "accepted", "event_malformed_json", "event_not_object", "input_tokens_wrong_type", "timestamp_wrong_type",
            "input_tokens_negative", "output_tokens_too_large", "input_tokens_not_integer", "tenant_too_long",
            "tags_too_many", "event_id_missing", "timestamp_in_future", "cache_tokens_exceed_input",
        }, expected);
    }

    [Fact]
    public void Ndjson_payload_rejects_each_bad_line_with_its_code_and_accepts_the_good_ones()
    {
        var corpus = Corpus();
        var results = new List<UsageEventResult>();

        var format = _parser.Parse(RepoFile.Read(CorpusPath), results);

        Assert.Equal(PayloadFormat.Ndjson, format);
        Assert.Equal(corpus.Count, results.Count);
        for (var i = 0; i < corpus.Count; i++)
            AssertOutcome(corpus[i].Expect, results[i], corpus[i].Line);
        Assert.Equal(corpus.Count(c => c.Expect == "accepted"), results.Count(r => r.IsAccepted));
    }

    [Fact]
    public void Json_array_of_the_well_formed_lines_gives_the_same_outcomes()
    {
        var corpus = Corpus().Where(c => c.Expect is not ("event_malformed_json")).ToList();
        var payload = "[" + string.Join(",\n", corpus.Select(c => c.Line)) + "]";

        var results = _parser.Parse(payload);

        Assert.Equal(corpus.Count, results.Count);
        for (var i = 0; i < corpus.Count; i++)
            AssertOutcome(corpus[i].Expect, results[i], corpus[i].Line);
    }

    [Fact]
    public void Cloudevents_batch_of_the_event_objects_gives_the_same_outcomes()
    {
        var corpus = Corpus().Where(c => c.Expect is not ("event_malformed_json" or "event_not_object")).ToList();
        // Envelope ids are unique per line, so event_id_missing lines would borrow one: leave those out here.
        corpus = corpus.Where(c => c.Expect != "event_id_missing").ToList();
        var payload = "[" + string.Join(",", corpus.Select((c, i) =>
            $$"""{"specversion":"1.0","type":"dev.costops.usage.v1","source":"/corpus","id":"ce-{{i}}","data":{{c.Line}}}""")) + "]";

        var results = _parser.Parse(payload);

        Assert.Equal(corpus.Count, results.Count);
        for (var i = 0; i < corpus.Count; i++)
            AssertOutcome(corpus[i].Expect, results[i], corpus[i].Line);
    }

    [Fact]
    public void Rejections_keep_the_event_id_tenant_and_raw_line()
    {
        var results = _parser.Parse(RepoFile.Read(CorpusPath));
        var negative = results.Single(r => r.Rejection?.Code == "input_tokens_negative").Rejection!;

        Assert.Matches("^corpus-\\d+$", negative.EventId);
        Assert.Equal("acme", negative.Tenant);
        Assert.Contains("\"input_tokens\":-5", negative.Raw);
        Assert.Equal("input_tokens_negative: input_tokens must be >= 0, got -5", negative.Reason);
        var tooLongId = results.Single(r => r.Rejection?.Code == "event_id_too_long").Rejection!;
        Assert.Equal("", tooLongId.EventId);
    }

    private static void AssertOutcome(string expect, UsageEventResult result, string line)
    {
        if (expect == "accepted")
            Assert.True(result.IsAccepted, $"expected acceptance of {line}\n got {result}");
        else
            Assert.True(result.Rejection?.Code == expect, $"expected {expect} for {Short(line)}\n got {result}");
    }

    private static string Short(string line) => line.Length <= 200 ? line : line[..200] + "...";
}
