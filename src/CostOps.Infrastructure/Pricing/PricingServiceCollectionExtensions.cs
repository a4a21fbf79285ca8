using CostOps.Infrastructure.Ingestion;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CostOps.Infrastructure.Pricing;

/// <summary>
/// Registers the pricing table as the source of prices (replacing the bundled-only default) and the token estimator.
/// Hosts call it after <c>AddCostOpsInfrastructure</c>.
/// </summary>
public static class PricingServiceCollectionExtensions
{
    public static IServiceCollection AddCostOpsPricingTable(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PricingOptions>().Bind(configuration.GetSection(PricingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<PriceTableStore>();
        services.TryAddSingleton<TablePriceCatalogSource>();
        services.TryAddSingleton<ScheduledPriceRefresh>();
        services.Replace(ServiceDescriptor.Singleton<IPriceCatalogSource>(sp => sp.GetRequiredService<TablePriceCatalogSource>()));
        services.TryAddSingleton<ITokenCounter>(TokenEstimator.Shared);
        return services;
    }
}
