using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CostOps.Core.Ingestion;

/// <summary>
/// The parsed <c>tags</c> of one event: a small array-backed map. Events carry a handful of tags (at most 64) that
/// are written out, rarely looked up, so a linear scan beats hashing, and the map costs one small array instead of
/// a dictionary's three objects per event. Keeps insertion order; a repeated key is refused by the reader (ambiguous).
/// </summary>
internal sealed class TagMap : IReadOnlyDictionary<string, string>
{
    private KeyValuePair<string, string>[] _items = new KeyValuePair<string, string>[4];
    private int _count;

    public int Count => _count;

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"tag '{key}' is not present");

    public IEnumerable<string> Keys
    {
        get
        {
            for (int i = 0; i < _count; i++)
                yield return _items[i].Key;
        }
    }

    public IEnumerable<string> Values
    {
        get
        {
            for (int i = 0; i < _count; i++)
                yield return _items[i].Value;
        }
    }

    /// <summary>Adds; returns false when the key is already present (<paramref name="duplicate"/>) or the map already holds <paramref name="max"/> entries.</summary>
    public bool TryAdd(string key, string value, int max, out bool duplicate)
    {
        duplicate = IndexOf(key) >= 0;
        if (duplicate || _count >= max)
            return false;
        if (_count == _items.Length)
            Array.Resize(ref _items, _items.Length * 2);
        _items[_count++] = new(key, value);
        return true;
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        int index = IndexOf(key);
        value = index >= 0 ? _items[index].Value : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (int i = 0; i < _count; i++)
            yield return _items[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        for (int i = 0; i < _count; i++)
        {
            if (string.Equals(_items[i].Key, key, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }
}
