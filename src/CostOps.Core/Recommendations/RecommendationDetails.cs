using System.Globalization;

namespace CostOps.Core.Recommendations;

/// <summary>
/// Named figures of one recommendation, in the order the rule states them, each as exact text (decimals without
/// trailing zeros, never binary floating point). Compared by value, so recommendations stay comparable records.
/// </summary>
public sealed class RecommendationDetails : IEquatable<RecommendationDetails>
{
    private readonly KeyValuePair<string, string>[] _items;

    public RecommendationDetails(IEnumerable<KeyValuePair<string, string>> items) => _items = items.ToArray();

    public static RecommendationDetails None { get; } = new([]);

    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    public int Count => _items.Length;

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public string? this[string key] => _items.FirstOrDefault(i => i.Key == key).Value;

    /// <summary>A decimal as its exact text without trailing zeros ("0.0125", "12").</summary>
    public static string Exact(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;
    }

    public bool Equals(RecommendationDetails? other) => other is not null && _items.SequenceEqual(other._items);

    public override bool Equals(object? obj) => Equals(obj as RecommendationDetails);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (k, v) in _items)
        {
            hash.Add(k);
            hash.Add(v);
        }
        return hash.ToHashCode();
    }

    /// <summary>Builds details in order: <c>new Builder().Add("k", 1.5m).Build()</c>.</summary>
    public sealed class Builder
    {
        private readonly List<KeyValuePair<string, string>> _items = [];

        public Builder Add(string key, decimal value) => Add(key, Exact(value));

        public Builder Add(string key, long value) => Add(key, value.ToString(CultureInfo.InvariantCulture));

        public Builder Add(string key, string value)
        {
            _items.Add(new(key, value));
            return this;
        }

        public RecommendationDetails Build() => new(_items);
    }
}
