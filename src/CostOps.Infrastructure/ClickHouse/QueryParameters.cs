namespace CostOps.Infrastructure.ClickHouse;

/// <summary>
/// Values for a statement's <c>{name:Type}</c> placeholders. Values travel beside the SQL, never inside it:
/// the engine parses each value with the type its placeholder declares.
/// </summary>
public sealed class QueryParameters : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _values = [];

    public static QueryParameters None { get; } = new();

    public QueryParameters() { }

    /// <summary>A copy of <paramref name="shared"/>'s values, to add a statement's own to.</summary>
    public QueryParameters(QueryParameters shared) => _values.AddRange(shared._values);

    public int Count => _values.Count;

    /// <summary>Adds a value; supported: string, integers, decimal, bool, DateTime, DateTimeOffset, DateOnly, Guid and arrays of those.</summary>
    public void Add(string name, object? value) => _values.Add(new(name, value));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
