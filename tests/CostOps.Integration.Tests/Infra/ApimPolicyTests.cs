using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Infra;

/// <summary>
/// infra/apim/usage-policy.xml emits usage event v1; sample-event.json is what it emits for sample-response.json, and
/// that event goes through the real ingestion handler accepted and priced. APIM itself cannot run here, so the tie
/// between policy and sample is checked structurally: the members the policy sets are exactly the sample's, and the
/// sample's token counts are the sample response's usage, mapped the way the policy maps them.
/// </summary>
public sealed partial class ApimPolicyTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private static string Read(string file) => File.ReadAllText(RepoPaths.Of("infra", "apim", file));

    [GeneratedRegex(@"evt\[""(?<key>[a-z_]+)""\]\s*=")]
    private static partial Regex EventMember();

    [Fact]
    public void Policy_is_well_formed_and_sets_exactly_the_members_of_the_sample_event()
    {
        var policy = XDocument.Parse(Read("usage-policy.xml"));
        var log = Assert.Single(policy.Descendants("log-to-eventhub"));
        Assert.Equal("costops-usage", (string?)log.Attribute("logger-id"));
        Assert.Single(policy.Descendants("outbound"));

        var setByPolicy = EventMember().Matches(log.Value).Select(m => m.Groups["key"].Value).Order().ToList();
        var inSample = JsonNode.Parse(Read("sample-event.json"))!.AsObject().Select(p => p.Key).Order().ToList();
        Assert.Equal(inSample, setByPolicy);
    }

    [Fact]
    public void Sample_event_carries_the_sample_response_usage_as_the_policy_maps_it()
    {
        var response = JsonNode.Parse(Read("sample-response.json"))!;
        var sample = JsonNode.Parse(Read("sample-event.json"))!;
        Assert.Equal((string?)response["model"], (string?)sample["model"]);
        Assert.Equal((long)response["usage"]!["prompt_tokens"]!, (long)sample["input_tokens"]!);
        Assert.Equal((long)response["usage"]!["completion_tokens"]!, (long)sample["output_tokens"]!);
        Assert.Equal((long)response["usage"]!["prompt_tokens_details"]!["cached_tokens"]!, (long)sample["cached_input_tokens"]!);
        Assert.Equal((long)response["usage"]!["completion_tokens_details"]!["reasoning_tokens"]!, (long)sample["reasoning_tokens"]!);
        Assert.True(Guid.TryParse((string?)sample["event_id"], out _), "event_id is APIM's request id, a GUID.");
    }

    [Fact]
    public void Sample_event_request_hash_is_the_canonical_hash_of_the_sample_request()
    {
        // docs/usage-event.md: drop the members that do not change the answer, add the deployment as the model when the
        // body names none, sort object members by name at every depth, no whitespace, SHA-256 in lowercase hex.
        var request = JsonNode.Parse(Read("sample-request.json"))!.AsObject();
        var sample = JsonNode.Parse(Read("sample-event.json"))!;
        foreach (var name in new[] { "stream", "stream_options", "user", "metadata", "store", "service_tier" }) request.Remove(name);
        request["model"] ??= (string?)sample["deployment"];
        var canonical = Canonical(request)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var hash = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal(hash, (string?)sample["request_hash"]);
        Assert.Equal((decimal)request["temperature"]!, (decimal)sample["temperature"]!);

        // And the policy computes it the same way: the members it drops are these.
        var log = XDocument.Parse(Read("usage-policy.xml")).Descendants("set-variable").Single(v => (string?)v.Attribute("name") == "costopsRequestHash");
        Assert.Contains("\"stream\", \"stream_options\", \"user\", \"metadata\", \"store\", \"service_tier\"", (string)log.Attribute("value")!, StringComparison.Ordinal);
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Canonical).ToArray()),
        JsonValue v => v.DeepClone(),
        _ => null,
    };

    [Fact]
    public async Task Sample_event_is_accepted_and_priced_by_ingestion()
    {
        var summary = await fixture.Handler.HandleAsync([Encoding.UTF8.GetBytes(Read("sample-event.json"))], "apim-sample", CancellationToken.None);
        Assert.Equal((1, 0, 0), (summary.Accepted, summary.Rejected, summary.Unpriced));

        // Azure OpenAI gpt-4o (Global Standard): 176 uncached x $2.50/M + 1024 cached x $1.25/M + 300 x $10/M = $0.00472.
        var row = await fixture.ClickHouse.QueryAsync(
            "SELECT price_status, canonical_model, cost_usd, input_tokens, cached_input_tokens FROM usage_events FINAL WHERE source = 'apim-sample'", "TSV");
        Assert.Equal("priced\tgpt-4o\t0.00472\t1200\t1024\n", row);
    }

    /// <summary>The sample call as APIM would present it: a caller trying to name the tenant in a header among the rest.</summary>
    private static ApimContext SampleCall() => new(
        new Request(new Headers(new Dictionary<string, string>
            {
                ["Content-Type"] = "application/json",
                ["x-costops-user"] = "agent-42",
                ["x-costops-tenant"] = "someone-else", // never trusted: the subscription pays
            }),
            new MessageBody(Read("sample-request.json")),
            new Dictionary<string, string> { ["deployment-id"] = "gpt-4o-prod" },
            new RequestUrl("/openai/deployments/gpt-4o-prod/chat/completions")),
        new Subscription("contoso-support", "Contoso support"), new Product("support-bot", "Support bot"),
        new Operation("ChatCompletions_Create", "/deployments/{deployment-id}/chat/completions"),
        Guid.Parse("6c1f3d2e-8a4b-4c9d-9e2f-1a2b3c4d5e6f"))
    {
        Response = new Response(200, new Headers(new Dictionary<string, string> { ["Content-Type"] = "application/json" }), new MessageBody(Read("sample-response.json"))),
        Timestamp = new DateTime(2026, 11, 28, 10, 0, 0, 123, DateTimeKind.Utc),
        Elapsed = TimeSpan.FromMilliseconds(842.6),
        Deployment = new Deployment("apim-contoso"),
    };

    /// <summary>Runs the <c>set-variable</c> elements of a policy's inbound section, in order.</summary>
    private static async Task RunInboundVariablesAsync(string policyFile, ApimContext context, IReadOnlyDictionary<string, string>? namedValues = null)
    {
        foreach (var variable in XDocument.Parse(Read(policyFile)).Root!.Element("inbound")!.Elements("set-variable"))
            context.Variables[(string)variable.Attribute("name")!] = (await PolicyExpressions.EvaluateAsync(context, (string)variable.Attribute("value")!, namedValues))!;
    }

    [Fact]
    public async Task The_policy_run_on_the_sample_call_emits_the_sample_event()
    {
        // Every expression of the policy compiled and executed (APIM's object model as ApimContext models it).
        var context = SampleCall();
        await RunInboundVariablesAsync("usage-policy.xml", context);
        var when = XDocument.Parse(Read("usage-policy.xml")).Root!.Element("outbound")!.Element("choose")!.Element("when")!;
        Assert.True((bool)(await PolicyExpressions.EvaluateAsync(context, (string)when.Attribute("condition")!))!);
        var emitted = (string)(await PolicyExpressions.EvaluateAsync(context, when.Element("log-to-eventhub")!.Value.Trim()))!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Read("sample-event.json")), JsonNode.Parse(emitted)), emitted);

        // A streamed response is left to other means (the condition is false), never half-read.
        var streamed = SampleCall();
        Assert.False((bool)(await PolicyExpressions.EvaluateAsync(new ApimContext(streamed.Request, streamed.Subscription, streamed.Product, streamed.Operation, streamed.RequestId)
        {
            Response = new Response(200, new Headers(new Dictionary<string, string> { ["Content-Type"] = "text/event-stream" }), new MessageBody("{}")),
        }, (string)when.Attribute("condition")!))!);
    }

    [Fact]
    public async Task Admission_asks_for_the_scope_the_usage_event_is_charged_to()
    {
        var usage = SampleCall();
        await RunInboundVariablesAsync("usage-policy.xml", usage);
        var when = XDocument.Parse(Read("usage-policy.xml")).Root!.Element("outbound")!.Element("choose")!.Element("when")!;
        var evt = JsonNode.Parse((string)(await PolicyExpressions.EvaluateAsync(usage, when.Element("log-to-eventhub")!.Value.Trim()))!)!;

        var enforce = SampleCall();
        await RunInboundVariablesAsync("enforce-policy.xml", enforce, new Dictionary<string, string> { ["costops-default-max-output-tokens"] = "4096" });
        var admission = JsonNode.Parse((string)enforce.Variables["costopsAdmissionRequest"])!;

        // The same call, the same request id, tenant (the subscription's, not the header's), project, user and feature:
        // the budgets admission reserves on are the ones the event settles and is charged to.
        foreach (var (inAdmission, inEvent) in new[] { ("request_id", "event_id"), ("tenant", "tenant"), ("project", "project"), ("user", "user"), ("feature", "feature") })
            Assert.Equal((string?)evt[inEvent], (string?)admission[inAdmission]);
        Assert.Equal("contoso-support", (string?)admission["tenant"]);
    }
}
