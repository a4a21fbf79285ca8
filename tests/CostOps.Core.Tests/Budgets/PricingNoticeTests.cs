using CostOps.Core.Budgets;
using CostOps.Core.Pricing;
using CostOps.Core.Pricing.CommunityMap;

namespace CostOps.Core.Tests.Budgets;

public sealed class PricingNoticeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 15, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Effective = new(2026, 11, 15);

    private static ModelPrice Price(decimal input, decimal output) => new() { EffectiveFrom = Effective, Input = input, Output = output };

    private static CatalogModel Model(string name, params string[] ids) =>
        new() { Provider = ProviderId.OpenAI, Model = name, Ids = ids, Prices = [Price(1m, 2m)] };

    private static PriceSyncPlan Plan() => new(Effective,
        Added: [Model("gpt-9-preview")],
        Changed: [new PriceChange(Model("gpt-4o", "gpt-4o-2024-08-06"), Price(2.5m, 10m), Price(2m, 10m), [new FieldChange("input", 2.5m, 2m)])],
        Gone: [], Pinned: [], Unchanged: 0);

    [Fact]
    public void A_tenant_is_told_only_about_models_its_traffic_uses_by_name_or_id()
    {
        var byId = PricingNotice.ForPriceChanges("acme", Plan(), new HashSet<(string, string)> { ("openai", "gpt-4o-2024-08-06") }, Now)!;

        var change = Assert.Single(byId.Changes);
        Assert.Equal(("gpt-4o", false, 2.5m, 2m), (change.Model, change.Added, change.Fields[0].Old, change.Fields[0].New));
        Assert.Contains("openai/gpt-4o: input 2.5 -> 2", byId.Summary);
        Assert.Null(PricingNotice.ForPriceChanges("acme", Plan(), new HashSet<(string, string)> { ("anthropic", "gpt-4o"), ("openai", "gpt-5") }, Now));
        var added = PricingNotice.ForPriceChanges("acme", Plan(), new HashSet<(string, string)> { ("openai", "gpt-9-preview") }, Now)!;
        Assert.True(Assert.Single(added.Changes).Added);
    }

    [Fact]
    public void Keys_are_the_same_whoever_computes_them_and_differ_per_tenant_change_and_budget()
    {
        var used = new HashSet<(string, string)> { ("openai", "gpt-4o"), ("openai", "gpt-9-preview") };
        var a = PricingNotice.ForPriceChanges("acme", Plan(), used, Now)!;
        var again = PricingNotice.ForPriceChanges("acme", Plan(), used, Now.AddMinutes(7))!;
        var other = PricingNotice.ForPriceChanges("globex", Plan(), used, Now)!;

        Assert.Equal(a.Key, again.Key);
        Assert.StartsWith("price_change_20261115_", a.Key);
        Assert.NotEqual(a.Key, other.Key);
        Assert.NotEqual(a.AlertId("b1"), a.AlertId("b2"));
        Assert.Matches("^al_[0-9a-f]{32}$", a.AlertId("b1"));
        Assert.DoesNotContain('/', a.Key);

        var unknown = PricingNotice.ForUnknownModel("acme", "someone", "x/y#z", 2, 0.045m, Now);
        Assert.Equal(unknown.Key, PricingNotice.ForUnknownModel("acme", "someone", "x/y#z", 5, 1m, Now.AddDays(1)).Key);
        Assert.NotEqual(unknown.Key, PricingNotice.ForUnknownModel("globex", "someone", "x/y#z", 2, 0.045m, Now).Key);
        Assert.Matches("^unknown_model_[0-9a-f]{32}$", unknown.Key);
        Assert.Contains("$0.045 at the fallback estimate", unknown.Summary);
    }
}
