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
        services.AddReservationLedger(configuration);
        services.TryAddSingleton<EnforcingBudgets>();
        services.AddSingleton<AdmissionBaselines>();
        services.AddSingleton<RerouteTargets>();
        services.AddSingleton<AdmissionRefusalLog>();
        services.AddSingleton<AdmissionService>();
        services.AddSingleton<AdmissionApi>();
        return services;
    }

    /// <summary>The ledger <c>Admission:Redis</c> chooses (Redis when set, else the <c>admission</c> table); budget status reads it too.</summary>
    public static IServiceCollection AddReservationLedger(this IServiceCollection services, IConfiguration configuration)
    {
        var redis = configuration.GetSection(AdmissionOptions.SectionName)[nameof(AdmissionOptions.Redis)];
        if (string.IsNullOrWhiteSpace(redis)) services.TryAddSingleton<ReservationLedger, TableReservationLedger>();
        else services.TryAddSingleton<ReservationLedger>(sp => new RedisReservationLedger(redis, sp.GetRequiredService<Tables.TableStorage>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
