using CostOps.Core.Budgets;

namespace CostOps.Core.Tests.Budgets;

public sealed class BudgetDefinitionTests
{
    private const string Valid = """
        {"id":"team-a","scope":{"tenant":"acme","project":"chat","tag":"team=search"},"period":"month","timeZone":"Europe/Berlin",
         "limitUsd":500,"thresholds":[{"percent":50,"kind":"actual"},{"percent":100,"kind":"forecast"}],
         "channels":{"webhook":"https://hooks.example.com/x","webhookSecret":"0123456789abcdef0123"}}
        """;

    private static BudgetValidationException Refused(string json, bool local = false) =>
        Assert.Throws<BudgetValidationException>(() => BudgetDefinition.Parse(json, local));

    [Fact]
    public void Names_ingestion_accepts_are_accepted_in_every_script_and_with_a_route_for_a_feature() =>
        Assert.Equal(("東京-team", "p.v2:eu@x", "/chat/completions"), BudgetDefinition.Parse(
            """{"id":"b","scope":{"tenant":"東京-team","project":"p.v2:eu@x","feature":"/chat/completions"},"limitUsd":5}""", allowLocalUrls: false) is { } b
            ? (b.Scope.Tenant, b.Scope.Project!, b.Scope.Feature!) : default);

    [Fact]
    public void A_valid_definition_round_trips_through_json()
    {
        var budget = BudgetDefinition.Parse(Valid, allowLocalUrls: false);
        Assert.Equal("team", budget.Scope.TagKey);
        Assert.Equal("search", budget.Scope.TagValue);
        var again = BudgetDefinition.Parse(BudgetDefinition.ToJson(budget, includeSecret: true), false);
        Assert.Equal(BudgetDefinition.ToJson(budget, true), BudgetDefinition.ToJson(again, true));
        Assert.DoesNotContain("0123456789abcdef0123", BudgetDefinition.ToJson(budget, includeSecret: false));
    }

    [Fact]
    public void Omitted_thresholds_default_to_50_80_100_actual()
    {
        var budget = BudgetDefinition.Parse("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":10}""", false);
        Assert.Equal(Budget.DefaultThresholds, budget.Thresholds);
        Assert.Equal(PeriodKind.Month, budget.Period);
    }

    [Fact]
    public void Action_defaults_to_alert_and_reroute_takes_a_model()
    {
        Assert.Equal(BudgetAction.Alert, BudgetDefinition.Parse("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":10}""", false).Action);
        var reroute = BudgetDefinition.Parse("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":10,"action":"reroute","rerouteModel":"gpt-4o-mini"}""", false);
        Assert.Equal(BudgetAction.Reroute, reroute.Action);
        Assert.Equal("gpt-4o-mini", reroute.RerouteModel);
        Assert.Equal(reroute, BudgetDefinition.Parse(BudgetDefinition.ToJson(reroute, true), false) with { Thresholds = reroute.Thresholds });
        Assert.Contains(Refused("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":10,"action":"stop"}""").Errors,
            m => m.StartsWith("action: 'stop' is not one of alert, block, reroute", StringComparison.Ordinal));
        Assert.Contains(Refused("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":10,"action":"block","rerouteModel":"gpt-4o-mini"}""").Errors,
            m => m.StartsWith("rerouteModel: only with action 'reroute'", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_fields_are_named()
    {
        var e = Refused("""{"id":"b","scope":{"tenant":"acme","projcet":"x"},"limitUsd":10,"limt":5}""");
        Assert.Contains(e.Errors, m => m.StartsWith("scope.projcet: unknown field", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("limt: unknown field", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":0}""", "limitUsd: must be greater than 0")]
    [InlineData("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":-5}""", "limitUsd: must be greater than 0")]
    [InlineData("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":5,"thresholds":[{"percent":0}]}""", "thresholds: 0% is out of range 1..1000")]
    [InlineData("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":5,"thresholds":[{"percent":1001}]}""", "thresholds: 1001% is out of range 1..1000")]
    [InlineData("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":5,"timeZone":"Mars/Olympus"}""", "timeZone: 'Mars/Olympus' is not a known IANA time zone")]
    [InlineData("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":5,"channels":{"slack":"http://hooks.slack.com/x"}}""", "channels.slack: https is required")]
    [InlineData("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":5,"channels":{"teams":"not a url"}}""", "channels.teams: 'not a url' is not an absolute URL")]
    [InlineData("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":5,"period":"yearly"}""", "period: 'yearly' is not one of daily, weekly, month, rolling")]
    [InlineData("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":5,"period":"rolling"}""", "rollingDays: a rolling period needs 1..366 days")]
    [InlineData("""{"id":"b","scope":{},"limitUsd":5}""", "scope.tenant: required")]
    [InlineData("""{"id":"a/b","scope":{"tenant":"acme"},"limitUsd":5}""", "id: 'a/b' must be")]
    // $ would also match before a final line feed.
    [InlineData("""{"id":"b\n","scope":{"tenant":"acme"},"limitUsd":5}""", "id: 'b\n' must be")]
    [InlineData("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":5,"channels":{"webhook":"https://x.example.com","webhookSecret":"short"}}""", "channels.webhookSecret: a signing secret needs at least 16 characters")]
    // Names ingestion refuses (DimensionNames): a budget on one would sit at $0 forever.
    [InlineData("""{"id":"b","scope":{"tenant":"Acme Corp"},"limitUsd":5}""", "scope.tenant: 'Acme Corp' is not a name ingestion accepts")]
    [InlineData("""{"id":"b","scope":{"tenant":"acme","project":"x','y"},"limitUsd":5}""", "scope.project: 'x','y' is not a name ingestion accepts")]
    [InlineData("""{"id":"b","scope":{"tenant":"acme","feature":"-chat"},"limitUsd":5}""", "scope.feature: '-chat' is not a name ingestion accepts")]
    public void Bad_definitions_are_refused_with_a_message_naming_the_field(string json, string expected)
    {
        var e = Refused(json);
        Assert.Contains(e.Errors, m => m.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Loopback_http_is_accepted_only_locally_and_private_addresses_never_in_production()
    {
        const string json = """{"id":"b","scope":{"tenant":"acme"},"limitUsd":5,"channels":{"slack":"http://127.0.0.1:8080/hook"}}""";
        Assert.Equal("http://127.0.0.1:8080/hook", BudgetDefinition.Parse(json, allowLocalUrls: true).Channels.SlackUrl!.ToString());
        Refused(json);
        var e = Refused("""{"id":"b","scope":{"tenant":"acme"},"limitUsd":5,"channels":{"slack":"https://10.1.2.3/hook"}}""");
        Assert.Contains(e.Errors, m => m.Contains("private, loopback or link-local", StringComparison.Ordinal));
    }

    [Fact]
    public void Allowing_loopback_allows_loopback_only_and_every_other_private_address_stays_refused()
    {
        foreach (var url in new[] { "https://10.1.2.3/hook", "https://169.254.169.254/latest", "https://[fd00::1]/x", "https://[64:ff9b::a00:1]/x", "https://[2002:c0a8:101::1]/x" })
        {
            var e = Refused($$$"""{"id":"b","scope":{"tenant":"acme"},"limitUsd":5,"channels":{"slack":"{{{url}}}"}}""", local: true);
            Assert.Contains(e.Errors, m => m.Contains("private, loopback or link-local", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("64:ff9b::a00:1", true)]        // NAT64 of 10.0.0.1
    [InlineData("64:ff9b::7f00:1", true)]       // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe", true)]    // NAT64 of 169.254.169.254 (cloud metadata)
    [InlineData("64:ff9b:1::808:808", true)]    // local-use NAT64 prefix
    [InlineData("64:ff9b::808:808", false)]     // NAT64 of 8.8.8.8, a public address
    [InlineData("2002:a00:1::1", true)]         // 6to4 of 10.0.0.1
    [InlineData("2002:c0a8:101::1", true)]      // 6to4 of 192.168.1.1
    [InlineData("2002:808:808::1", false)]      // 6to4 of 8.8.8.8
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("2606:4700::1111", false)]
    [InlineData("127.0.0.2", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("93.184.215.14", false)]
    public void Private_ranges_include_ipv4_wrapped_in_nat64_and_6to4(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, WebhookUrlRules.IsPrivate(System.Net.IPAddress.Parse(address)));
}
