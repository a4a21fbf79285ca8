using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using CostOps.Infrastructure.Hosting;
using CostOps.Integration.Tests.Infra;

namespace CostOps.Integration.Tests.Functions;

/// <summary>
/// The Functions app's triggers against the one route table and schedule table both hosts use: every trigger, read by
/// reflection from the built Functions assembly, stands for exactly one entry with the same method, route, key level
/// and schedule setting; every setting a timer binds exists, with the table's default, in the sample settings (and,
/// in <see cref="BicepTests"/>, in the compiled deployment).
/// </summary>
public sealed class HostSurfaceTests
{
    private sealed record Trigger(string Function, string Kind, string[] Methods, string? Route, string? AuthLevel, string? Schedule);

    private static readonly Lazy<IReadOnlyList<Trigger>> Triggers = new(ReadTriggers);

    private static IReadOnlyList<Trigger> ReadTriggers()
    {
        var output = typeof(HostSurfaceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsOutput").Value!;
        // A context of its own resolves the worker's packages from the Functions app's output folder.
        var context = new AssemblyLoadContext("functions", isCollectible: true);
        context.Resolving += (c, name) => File.Exists(Path.Combine(output, name.Name + ".dll")) ? c.LoadFromAssemblyPath(Path.Combine(output, name.Name + ".dll")) : null;
        var assembly = context.LoadFromAssemblyPath(Path.Combine(output, "CostOps.Functions.dll"));
        var triggers = new List<Trigger>();
        foreach (var method in assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)))
        {
            var function = method.GetCustomAttributesData().SingleOrDefault(a => a.AttributeType.Name == "FunctionAttribute");
            if (function is null) continue;
            var name = (string)function.ConstructorArguments[0].Value!;
            foreach (var attribute in method.GetParameters().SelectMany(p => p.GetCustomAttributesData()))
            {
                switch (attribute.AttributeType.Name)
                {
                    case "HttpTriggerAttribute":
                        var methods = attribute.ConstructorArguments.SelectMany(a => a.Value switch
                        {
                            IReadOnlyCollection<CustomAttributeTypedArgument> many => many.Select(m => (string)m.Value!),
                            string one => [one],
                            _ => [],
                        }).Select(m => m.ToUpperInvariant()).ToArray();
                        var level = attribute.ConstructorArguments.FirstOrDefault(a => a.ArgumentType.IsEnum);
                        var levelName = level.ArgumentType is null ? null : Enum.GetName(level.ArgumentType, level.Value!);
                        var route = (string?)attribute.NamedArguments.SingleOrDefault(a => a.MemberName == "Route").TypedValue.Value;
                        triggers.Add(new Trigger(name, "http", methods, route, levelName, null));
                        break;
                    case "TimerTriggerAttribute":
                        triggers.Add(new Trigger(name, "timer", [], null, null, (string)attribute.ConstructorArguments[0].Value!));
                        break;
                }
            }
        }
        return triggers;
    }

    [Fact]
    public void Every_http_trigger_is_its_route_table_entry_and_every_entry_has_a_trigger()
    {
        var http = Triggers.Value.Where(t => t.Kind == "http").ToList();
        Assert.Equal(ApiRoutes.All.Select(r => r.Function).Order(StringComparer.Ordinal), http.Select(t => t.Function).Order(StringComparer.Ordinal));
        foreach (var trigger in http)
        {
            var route = ApiRoutes.Named(trigger.Function);
            Assert.Equal([route.Method], trigger.Methods);
            Assert.Equal(route.Template, trigger.Route);
            Assert.Equal(route.Anonymous ? "Anonymous" : "Function", trigger.AuthLevel);
        }
    }

    [Fact]
    public void Every_timer_binds_its_schedule_table_setting_and_every_schedule_has_a_timer()
    {
        var timers = Triggers.Value.Where(t => t.Kind == "timer").ToList();
        Assert.Equal(Schedules.All.Select(s => s.Function).Order(StringComparer.Ordinal), timers.Select(t => t.Function).Order(StringComparer.Ordinal));
        foreach (var timer in timers)
        {
            Assert.Equal($"%{Schedules.Named(timer.Function).Setting}%", timer.Schedule);
        }
    }

    [Fact]
    public void Every_setting_a_timer_binds_is_in_the_sample_settings_with_the_tables_default()
    {
        var values = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("src", "CostOps.Functions", "local.settings.sample.json")))!["Values"]!;
        foreach (var timer in Triggers.Value.Where(t => t.Kind == "timer"))
        {
            var schedule = Schedules.Named(timer.Function);
            Assert.True(values[schedule.Setting] is not null, $"local.settings.sample.json lacks {schedule.Setting}, which {timer.Function} binds");
            Assert.Equal(schedule.Default, (string?)values[schedule.Setting]);
        }
    }

    [Fact]
    public void Route_templates_name_their_parameters_once_and_no_two_routes_collide()
    {
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(r => (r.Method, r.Template)).Distinct().Count());
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(r => r.Function).Distinct().Count());
        Assert.Equal(["tenant", "id", "decision"], ApiRoutes.Named("RecommendationsDecide").Parameters);
    }
}
