namespace CostOps.Infrastructure.ClickHouse;

/// <summary>A statement ClickHouse refused; <see cref="Exception.Message"/> is ClickHouse's own error text.</summary>
public sealed class ClickHouseQueryException(string message, string? sql = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The statement that failed (for logs; never shown to end users with parameter values).</summary>
    public string? Sql { get; } = sql;
}
