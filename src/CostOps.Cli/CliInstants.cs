using CostOps.Core.Time;

namespace CostOps.Cli;

/// <summary>Instants given as options, read by the one parser (<see cref="Instants"/>); a bad one is a usage error.</summary>
public static class CliInstants
{
    public static DateTimeOffset Required(string text, string option) =>
        Instants.TryParse(text, out var at) ? at : throw new CliUsageException($"{option} must be {Instants.Expected}, not '{text}'.");

    public static DateTimeOffset? Optional(string? text, string option) => text is null ? null : Required(text, option);
}
