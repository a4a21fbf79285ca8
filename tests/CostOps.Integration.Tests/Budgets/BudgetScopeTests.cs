using CostOps.Core.Budgets;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Budgets;

public sealed class BudgetScopeTests(ClickHouseFixture clickHouse) : IClassFixture<ClickHouseFixture>
{
    [Fact]
    public async Task One_grouped_query_gives_each_budget_the_spend_of_its_own_scope_and_period()
    {
        await using var host = await BudgetTestHost.StartAsync(clickHouse);
        var tenant = TestEnvironment.UniqueName("scope-");
        var other = TestEnvironment.UniqueName("other-");
        var now = BudgetTestHost.Start; // 2026-11-15 12:00 UTC
        await host.SpendAsync(tenant, now.AddDays(-3), 10m, project: "chat", model: "gpt-4o");
        await host.SpendAsync(tenant, now.AddDays(-3).AddHours(1), 20m, project: "chat", model: "o3");
        await host.SpendAsync(tenant, now.AddDays(-3).AddHours(2), 40m, project: "search", model: "gpt-4o");
        await host.SpendAsync(tenant, now.AddHours(-2), 5m, project: "search", model: "gpt-4o");    // today, Berlin and UTC
        await host.SpendAsync(tenant, DateTimeOffset.Parse("2026-10-31T23:00:00Z"), 100m, project: "chat"); // 1 Nov 00:00 Berlin
        await host.SpendAsync(other, now.AddDays(-3), 1000m, project: "chat", model: "gpt-4o");

        Budget Make(string id, BudgetScope scope, PeriodKind period = PeriodKind.Month, string zone = "UTC") =>
            BudgetTestHost.Monthly(id, tenant, 10_000m) with { Scope = scope, Period = period, TimeZone = zone };
        await host.Budgets.AddAsync(Make("all", new(tenant)));
        await host.Budgets.AddAsync(Make("chat", new(tenant, Project: "chat")));
        await host.Budgets.AddAsync(Make("chat-o3", new(tenant, Project: "chat", Model: "o3")));
        await host.Budgets.AddAsync(Make("gpt4o", new(tenant, Model: "gpt-4o")));
        await host.Budgets.AddAsync(Make("berlin", new(tenant, Project: "chat"), zone: "Europe/Berlin"));
        await host.Budgets.AddAsync(Make("today", new(tenant), PeriodKind.Daily));
        await host.Budgets.AddAsync(Make("nobody", new(tenant, User: "nobody")));

        var report = await host.Evaluator.EvaluateAsync();

        var spend = report.Statuses.ToDictionary(s => s.BudgetId, s => s.SpendUsd);
        Assert.Equal(75m, spend["all"]);       // the October-31 UTC row is outside November in UTC
        Assert.Equal(30m, spend["chat"]);
        Assert.Equal(20m, spend["chat-o3"]);
        Assert.Equal(55m, spend["gpt4o"]);
        Assert.Equal(130m, spend["berlin"]);   // 23:00 UTC on 31 October is November in Berlin
        Assert.Equal(5m, spend["today"]);
        Assert.Equal(0m, spend["nobody"]);
    }
}
