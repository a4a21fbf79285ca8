using CostOps.Infrastructure.Access;
using CostOps.Infrastructure.Admission;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Secrets;
using CostOps.Infrastructure.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CostOps.Infrastructure.Budgets;

/// <summary>Registers budgets, evaluation, the alert outbox and webhook delivery (called by AddCostOpsInfrastructure).</summary>
public static class BudgetServiceCollectionExtensions
{
    public static IServiceCollection AddCostOpsBudgets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BudgetOptions>().Bind(configuration.GetSection(BudgetOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AlertDeliveryOptions>().Bind(configuration.GetSection(AlertDeliveryOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        // Budget changes are audited; the log is shared with keys and prices (registered once, whoever comes first).
        services.TryAddSingleton<AuditLog>();
        // Credentials in budget definitions are encrypted at rest.
        services.AddCostOpsSecretProtection(configuration);
        services.AddSingleton<IBudgetStore, TableBudgetStore>();
        services.AddSingleton<BudgetSpendReader>();
        services.AddSingleton<AlertRecorder>();
        services.AddSingleton<AlertOutbox>();
        services.AddSingleton<PricingNoticeService>();
        services.AddSingleton<BudgetEvaluator>();
        // Budget status counts open admission reservations; the ledger needs only the tables.
        services.AddReservationLedger(configuration);
        services.TryAddSingleton<Admission.EnforcingBudgets>();
        services.AddSingleton<BudgetStatusService>();
        services.AddSingleton<WebhookUrlPolicy>();
        services.AddSingleton<BudgetService>();
        services.AddSingleton<BudgetApi>();
        services.AddSingleton<IWebhookSender, HttpWebhookSender>();
        services.AddSingleton<AlertDeliveryWorker>();
        return services;
    }
}
