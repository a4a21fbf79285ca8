using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CostOps.Infrastructure.Admission;

/// <summary>Registers admission (reservations, settlement, <c>/api/admission</c>); <c>AddCostOpsInfrastructure</c> calls it.</summary>
public static class AdmissionServiceCollectionExtensions
{
    public static IServiceCollection AddCostOpsAdmission(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdmissionOptions>().Bind(configuration.GetSection(AdmissionOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ReservationLedger>();
        services.TryAddSingleton<EnforcingBudgets>();
        services.AddSingleton<AdmissionBaselines>();
        services.AddSingleton<RerouteTargets>();
        services.AddSingleton<AdmissionRefusalLog>();
        services.AddSingleton<AdmissionService>();
        services.AddSingleton<AdmissionApi>();
        return services;
    }
}
