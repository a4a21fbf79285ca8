using System.Text.Json.Nodes;
using System.Xml.Linq;
using CostOps.Infrastructure.Admission;
using Newtonsoft.Json.Linq;

namespace CostOps.Integration.Tests.Infra;

/// <summary>
/// infra/apim/enforce-policy.xml, run: every C# expression in it is compiled with Roslyn and executed against the recorded
/// request (sample-request.json) and recorded admission answers (sample-admission-*.json), following the policy's own
/// elements in order (set-variable, send-request, choose/when, return-response, rewrite-uri). What it would send to
/// CostOps is parsed by CostOps' own admission request parser.
/// </summary>
public sealed class ApimEnforcePolicyTests
{
    private static readonly Guid RequestId = Guid.Parse("3f2c7a9e-8d41-4b6a-9c0e-5a1b2c3d4e5f");

    private static string Read(string file) => File.ReadAllText(RepoPaths.Of("infra", "apim", file));

    /// <summary>What the gateway does with the call: forward it (to <paramref name="Path"/>, null when unchanged) or answer it itself.</summary>
    private sealed record Outcome(string? Path, int? Status, IReadOnlyDictionary<string, string> Headers, string? Body, string? AdmissionRequest, int TimeoutSeconds);

    [Fact]
    public async Task Allow_forwards_the_call_unchanged_and_the_admission_request_is_what_CostOps_accepts()
    {
        var outcome = await RunAsync(Sample("allow"));
        Assert.Null(outcome.Status);
        Assert.Null(outcome.Path);
        Assert.Equal(1, outcome.TimeoutSeconds); // 300 ms, rounded up to APIM's resolution

        // The request as sent to CostOps: APIM's request id (the usage policy's event_id), the subscription as tenant, the
        // product as project, the deployment as model, the messages as prompt text, max_tokens as the worst case.
        var (request, errors) = AdmissionRequest.Parse(outcome.AdmissionRequest!);
        Assert.Empty(errors);
        Assert.Equal(RequestId.ToString(), request!.RequestId);
        Assert.Equal("sub-acme", request.Tenant);
        Assert.Equal("support-bot", request.Project);
        Assert.Equal("gpt-4o", request.Model);
        Assert.Equal("azure.ai.openai", request.Provider);
        Assert.Equal("ChatCompletions_Create", request.Feature);
        Assert.Equal(300, request.MaxOutputTokens);
        Assert.Equal("You answer questions about orders. Be brief.\nWhen does order 1042 ship?\n", request.PromptText);
    }

    [Fact]
    public async Task Reroute_rewrites_the_deployment_to_the_model_CostOps_answered()
    {
        var outcome = await RunAsync(Sample("reroute"));
        Assert.Null(outcome.Status);
        Assert.Equal("/deployments/gpt-4o-mini/chat/completions", outcome.Path);
    }

    [Fact]
    public async Task Deny_answers_429_with_CostOps_body_retry_after_and_remaining()
    {
        var outcome = await RunAsync(Sample("deny"));
        Assert.Equal(429, outcome.Status);
        Assert.Equal("43200", outcome.Headers["Retry-After"]);
        Assert.Equal("0.0025", outcome.Headers["x-costops-remaining-usd"]);
        Assert.Equal("deny", (string?)JsonNode.Parse(outcome.Body!)!["decision"]);
    }

    [Theory]
    [InlineData("open", null, null)]
    [InlineData("closed", null, 503)]
    [InlineData("open", 503, null)]
    [InlineData("closed", 500, 503)]
    public async Task Unavailable_CostOps_fails_open_or_closed_as_configured(string mode, int? costOpsStatus, int? expected)
    {
        // null: send-request timed out or could not connect (ignore-error leaves the response variable unset).
        var response = costOpsStatus is { } status ? new Response(status, new Headers(new Dictionary<string, string>()), new MessageBody("{}")) : null;
        var outcome = await RunAsync(response, mode);
        Assert.Equal(expected, outcome.Status);
        Assert.Null(outcome.Path);
    }

    [Fact]
    public async Task A_request_without_max_tokens_reserves_the_configured_default()
    {
        var body = JsonNode.Parse(Read("sample-request.json"))!.AsObject();
        body.Remove("max_tokens");
        var outcome = await RunAsync(Sample("allow"), requestBody: body.ToJsonString());
        var (request, _) = AdmissionRequest.Parse(outcome.AdmissionRequest!);
        Assert.Equal(4096, request!.MaxOutputTokens);
    }

    private static Response Sample(string name)
    {
        var sample = JsonNode.Parse(Read($"sample-admission-{name}.json"))!;
        var headers = sample["headers"]!.AsObject().ToDictionary(h => h.Key, h => (string)h.Value!);
        return new Response((int)sample["status"]!, new Headers(headers), new MessageBody(sample["body"]!.ToJsonString()));
    }

    private static async Task<Outcome> RunAsync(IResponse? admissionAnswer, string failMode = "open", string? requestBody = null)
    {
        var namedValues = new Dictionary<string, string>
        {
            ["costops-url"] = "https://costops.example.net",
            ["costops-key"] = "key",
            ["costops-admission-timeout-ms"] = "300",
            ["costops-fail-mode"] = failMode,
            ["costops-default-max-output-tokens"] = "4096",
        };
        var context = new ApimContext(
            new Request(new Headers(new Dictionary<string, string> { ["Content-Type"] = "application/json" }),
                new MessageBody(requestBody ?? Read("sample-request.json")),
                new Dictionary<string, string> { ["deployment-id"] = "gpt-4o" },
                new RequestUrl("/openai/deployments/gpt-4o/chat/completions")),
            new Subscription("sub-acme", "acme"), new Product("support-bot", "Support bot"),
            new Operation("ChatCompletions_Create", "/deployments/{deployment-id}/chat/completions"), RequestId);
        var policy = XDocument.Parse(Read("enforce-policy.xml"));
        var inbound = policy.Root!.Element("inbound")!;

        Task<object?> Eval(string text) => PolicyExpressions.EvaluateAsync(context, text, namedValues);

        string? admissionRequest = null;
        var timeout = 0;
        foreach (var element in inbound.Elements())
        {
            switch (element.Name.LocalName)
            {
                case "set-variable":
                    context.Variables[(string)element.Attribute("name")!] = (await Eval((string)element.Attribute("value")!))!;
                    break;
                case "send-request":
                    Assert.Equal("https://costops.example.net/api/admission", (string?)await Eval(element.Element("set-url")!.Value));
                    Assert.Equal("POST", element.Element("set-method")!.Value);
                    Assert.Equal("true", (string?)element.Attribute("ignore-error"));
                    timeout = (int)(await Eval((string)element.Attribute("timeout")!))!;
                    admissionRequest = (string?)await Eval(element.Element("set-body")!.Value);
                    if (admissionAnswer is not null) context.Variables[(string)element.Attribute("response-variable-name")!] = admissionAnswer;
                    break;
                case "choose":
                    if (await ChooseAsync(element) is { } decided) return decided with { AdmissionRequest = admissionRequest, TimeoutSeconds = timeout };
                    break;
            }
        }
        return new Outcome(null, null, new Dictionary<string, string>(), null, admissionRequest, timeout);

        // The first <when> whose condition holds runs; a branch that answers or rewrites decides the outcome.
        async Task<Outcome?> ChooseAsync(XElement choose)
        {
            foreach (var when in choose.Elements("when"))
            {
                if (!(bool)(await Eval((string)when.Attribute("condition")!))!) continue;
                foreach (var action in when.Elements())
                {
                    switch (action.Name.LocalName)
                    {
                        case "choose" when await ChooseAsync(action) is { } inner:
                            return inner;
                        case "return-response":
                            var headers = new Dictionary<string, string>();
                            foreach (var header in action.Elements("set-header"))
                                headers[(string)header.Attribute("name")!] = (string)(await Eval(header.Element("value")!.Value))!;
                            var body = action.Element("set-body") is { } b ? (string?)await Eval(b.Value) : null;
                            return new Outcome(null, int.Parse((string)action.Element("set-status")!.Attribute("code")!, System.Globalization.CultureInfo.InvariantCulture), headers, body, null, 0);
                        case "rewrite-uri":
                            return new Outcome((string?)await Eval((string)action.Attribute("template")!), null, new Dictionary<string, string>(), null, null, 0);
                    }
                }
                return null;
            }
            return null;
        }
    }
}
