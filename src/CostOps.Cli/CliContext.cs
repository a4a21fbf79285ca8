namespace CostOps.Cli;

/// <summary>What a command runs with: the service provider and the console streams.</summary>
public sealed record CliContext(IServiceProvider Services, TextWriter Out, TextWriter Error);
