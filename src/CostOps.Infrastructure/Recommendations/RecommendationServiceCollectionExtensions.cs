using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>Registers the recommendation runs, their store, decisions, digest and API (called by AddCostOpsInfrastructure).</summary>
public static class RecommendationServiceCollectionExtensions
{
    public static IServiceCollection AddCostOpsRecommendations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RecommendationOptions>().Bind(configuration.GetSection(RecommendationOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<UsageProfileReader>();
        services.AddSingleton<BudgetPressureReader>();
        services.AddSingleton<RecommendationRepository>();
        services.AddSingleton<RecommendationStateStore>();
        services.AddSingleton<RecommendationService>();
        services.AddSingleton<RecommendationDigest>();
        services.AddSingleton<RecommendationApi>();
        services.AddSingleton<ScheduledRecommendationRun>();
        return services;
    }
}
