using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// The composition root: the Functions app, <c>costops</c> (every command, <c>serve</c> included) and the integration
/// tests' <c>CostOpsTestHost</c> build their services here and nowhere else, so what a test runs is what a host runs.
/// A host differs only in its configuration sources, the settings it lays over them and, for the CLI and tests, the clock.
/// </summary>
public static class CostOpsHostBuilder
{
    /// <summary>
    /// Registers every CostOps service on <paramref name="builder"/>, with <paramref name="settings"/> over its
    /// configuration and <paramref name="clock"/> (when given) in place of the system clock.
    /// </summary>
    public static TBuilder AddCostOps<TBuilder>(this TBuilder builder, IEnumerable<KeyValuePair<string, string?>>? settings = null,
        TimeProvider? clock = null)
        where TBuilder : IHostApplicationBuilder
    {
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddCostOpsInfrastructure(builder.Configuration);
        if (clock is not null) builder.Services.Replace(ServiceDescriptor.Singleton(clock));
        return builder;
    }
}
