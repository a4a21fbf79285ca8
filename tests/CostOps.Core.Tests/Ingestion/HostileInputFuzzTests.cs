using System.Text;
using CostOps.Core.Ingestion;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace CostOps.Core.Tests.Ingestion;

/// <summary>
/// The parser's fuzz target: FsCheck mutates valid events (byte flips, truncation, split surrogates, invalid UTF-8,
/// duplicated keys, deep nesting, huge and odd numbers, hostile tags) and puts each between two untouched
/// neighbours. Whatever the mutation: no exception, both neighbours are accepted as they were, and every refusal
/// carries a code. The seed is random per run and printed with the case count (replay one with
/// <c>COSTOPS_FUZZ_SEED</c>; run longer with <c>COSTOPS_FUZZ_CASES</c>).
/// </summary>
public sealed class HostileInputFuzzTests(ITestOutputHelper output)
{
    private const int DefaultCases = 100_000;

    private static readonly string[] Templates =
    [
        """{"event_id":"m-1","timestamp":"2025-06-01T11:00:00Z","tenant":"acme","model":"gpt-4o","input_tokens":1200,"output_tokens":300,"tags":{"env":"prod","shard":3}}""",
        """{"event_id":"m-2","timestamp":"2025-06-01T11:00:00.5+02:00","tenant":"initech","model":"claude-sonnet-4-5","usage_style":"anthropic","input_tokens":25,"cache_read_input_tokens":4000,"cache_creation_input_tokens":500,"output_tokens":700,"latency_ms":812.5}""",
        """{"event_id":"m-3","timestamp":"2025-06-01T10:00:00Z","tenant":"acme","model":"gpt-4o","usage":{"prompt_tokens":2006,"completion_tokens":300,"prompt_tokens_details":{"cached_tokens":1920}},"batch":true}""",
        """{"specversion":"1.0","id":"ce-4","source":"/gw","type":"dev.costops.usage.v1","time":"2025-06-01T09:00:00Z","data":{"tenant":"acme","model":"gpt-4o-mini","input_tokens":10,"output_tokens":5,"user":"u\u00e9-\ud83d\ude00"}}""",
        """{"event_id":"m-5","timestamp":"2025-06-01T11:30:00Z","tenant":"acme","model":"o3","input_tokens":10,"output_tokens":400,"reasoning_tokens":300,"feature":"plan","project":"p","deployment":"d","status":"ok","prompt_hash":"ab12","interactive":false}""",
    ];

    private static readonly string[] Fields =
        ["event_id", "timestamp", "tenant", "model", "input_tokens", "output_tokens", "tags", "usage", "latency_ms", "batch", "user", "data", "id", "specversion"];

    private static readonly string[] OddNumbers =
        ["1e400", "-1e400", "1e-400", "-0", "0.0", "1.5", "-1", "99999999999999999999999999", "1E9", "1000000001", "4294967296",
         "9223372036854775808", "-9223372036854775809", "0.0000001e7", "1e+2", "123456789012345678901234567890.5", "1" + new string('0', 400)];

    private static readonly string[] Insertions =
        ["\\ud83d", "\\udc00", "\\ud83d\\u0041", "\\u0000", "\\u001f", "\\u009f", "\\uDFFF\\uD800", "\\ud83d\\ude00", "\\\\", "\\\"", "\u00e9", "\U0001F600"];

    private static readonly byte[][] BadBytes =
        [[0xFF], [0xC0, 0x80], [0x80], [0xED, 0xA0, 0xBD], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x00], [0x0A], [0x0D], [0x22], [0x5C], [0x7B], [0x7D]];

    private readonly UsageEventParser _parser = UsageEventJson.Parser();

    /// <summary>One mutation: which kind, and the numbers it draws from (positions, choices, depths).</summary>
    public sealed record Mutation(int Template, int Kind, int A, int B, int C, int Then);

    private static Gen<Mutation> Mutations() =>
        from template in Gen.Choose(0, Templates.Length - 1)
        from kind in Gen.Choose(0, 9)
        from a in Gen.Choose(0, int.MaxValue - 1)
        from b in Gen.Choose(0, int.MaxValue - 1)
        from c in Gen.Choose(0, 300)
        from then in Gen.Choose(-1, 9)
        select new Mutation(template, kind, a, b, c, then);

    [Fact]
    public void Mutated_events_are_refused_with_a_code_or_accepted_and_their_neighbours_always_land()
    {
        ulong seed = Environment.GetEnvironmentVariable("COSTOPS_FUZZ_SEED") is { Length: > 0 } s ? ulong.Parse(s) : (ulong)Random.Shared.NextInt64();
        int cases = Environment.GetEnvironmentVariable("COSTOPS_FUZZ_CASES") is { Length: > 0 } n ? int.Parse(n) : DefaultCases;
        var codes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int accepted = 0, run = 0;
        output.WriteLine($"fuzz seed {seed} (replay: COSTOPS_FUZZ_SEED={seed}), {cases} cases");

        var config = Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true)
            .WithReplay(new Replay(new Rnd(seed), Microsoft.FSharp.Core.FSharpOption<int>.None));
        Check.One(config, Prop.ForAll(Mutations().ToArbitrary(), mutation =>
        {
            run++;
            var mutated = Apply(Encoding.UTF8.GetBytes(Templates[mutation.Template]), mutation);
            var outcome = ParseBetweenNeighbours(mutated, mutation);
            if (outcome.Accepted) accepted++;
            foreach (var code in outcome.Codes) codes[code] = codes.GetValueOrDefault(code) + 1;
        }));

        output.WriteLine($"fuzz cases run: {run}; middle event accepted in {accepted}; refusal codes seen ({codes.Count}): "
            + string.Join(", ", codes.Select(c => $"{c.Key}={c.Value}")));
        Assert.Equal(cases, run);
        // The mutations reach the reader's hostile paths, not only the JSON syntax check.
        Assert.Contains(RejectCodes.DuplicateProperty, codes.Keys);
        Assert.Contains(codes.Keys, c => c.EndsWith(RejectCodes.InvalidSuffix, StringComparison.Ordinal));
        Assert.Contains(RejectCodes.EventMalformedJson, codes.Keys);
    }

    private (bool Accepted, List<string> Codes) ParseBetweenNeighbours(byte[] mutated, Mutation mutation)
    {
        var before = Encoding.UTF8.GetBytes(UsageEventJson.Valid("neighbour-before").ToString() + "\n");
        var after = Encoding.UTF8.GetBytes("\n" + UsageEventJson.Valid("neighbour-after").ToString() + "\n");
        var payload = before.Concat(mutated).Concat(after).ToArray();
        IReadOnlyList<UsageEventResult> results;
        try
        {
            results = _parser.Parse(payload);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"the parser threw on {mutation}: {Show(mutated)}", e);
        }
        Assert.True(results.Count >= 2, $"{mutation}: {Show(mutated)}");
        Assert.True(results[0].Event?.EventId == "neighbour-before", $"neighbour before lost: {results[0]} for {mutation}: {Show(mutated)}");
        Assert.True(results[^1].Event?.EventId == "neighbour-after", $"neighbour after lost: {results[^1]} for {mutation}: {Show(mutated)}");
        var codes = new List<string>();
        bool accepted = false;
        foreach (var middle in results.Skip(1).SkipLast(1))
        {
            if (middle.IsAccepted)
            {
                accepted = true;
                continue;
            }
            var code = middle.Rejection!.Code;
            Assert.True(code.Length > 0 && code.All(ch => ch is (>= 'a' and <= 'z') or '_'), $"refusal without a proper code '{code}' for {mutation}");
            Assert.True(Encoding.UTF8.GetByteCount(middle.Rejection.Raw) <= UsageEventLimits.MaxRawBytes + 3 * UsageEventLimits.MaxRawBytes, "raw unbounded");
            codes.Add(code);
        }
        return (accepted, codes);
    }

    private static byte[] Apply(byte[] json, Mutation m)
    {
        var mutated = ApplyOne(json, m.Kind, m.A, m.B, m.C);
        return m.Then >= 0 ? ApplyOne(mutated, m.Then, m.B, m.A, m.C / 2) : mutated;
    }

    private static byte[] ApplyOne(byte[] json, int kind, int a, int b, int c)
    {
        var text = Encoding.UTF8.GetString(json);
        switch (kind)
        {
            case 0: // byte flips
                var flipped = (byte[])json.Clone();
                if (flipped.Length > 0)
                {
                    flipped[a % flipped.Length] ^= (byte)(1 << (b % 8));
                    if (c % 2 == 0) flipped[b % flipped.Length] = (byte)(c & 0xFF);
                }
                return flipped;
            case 1: // truncation
                return json[..(json.Length == 0 ? 0 : a % json.Length)];
            case 2: // escapes (lone surrogates, controls) inside a string
                return Encoding.UTF8.GetBytes(InsertIntoString(text, a, Insertions[b % Insertions.Length]));
            case 3: // raw bytes that are not valid UTF-8 (or that break the line) inside a string
                {
                    var quotes = Enumerable.Range(0, json.Length).Where(i => json[i] == '"').ToList();
                    int at = quotes.Count == 0 ? 0 : quotes[a % quotes.Count] + 1;
                    return [.. json[..at], .. BadBytes[b % BadBytes.Length], .. json[at..]];
                }
            case 4: // a property given twice, by name or escaped
                {
                    var field = Fields[a % Fields.Length];
                    var name = b % 3 == 0 ? field[..^1] + $"\\u{(int)field[^1]:x4}" : field;
                    var value = (b % 4) switch { 0 => "1000", 1 => "\"x\"", 2 => "{\"a\":1}", _ => "null" };
                    return Encoding.UTF8.GetBytes(text.Insert(Math.Max(0, text.Length - 1), $",\"{name}\":{value}"));
                }
            case 5: // deep nesting in a member (known or unknown)
                {
                    var field = b % 2 == 0 ? Fields[a % Fields.Length] : "extra";
                    int depth = 1 + c;
                    var open = a % 2 == 0 ? new string('[', depth) : string.Concat(Enumerable.Repeat("{\"k\":", depth));
                    var close = a % 2 == 0 ? new string(']', depth) : new string('}', depth);
                    return Encoding.UTF8.GetBytes(text.Insert(Math.Min(1, text.Length), $"\"{field}\":{open}1{close},"));
                }
            case 6: // huge and odd numbers in place of a number
                return Encoding.UTF8.GetBytes(ReplaceNumber(text, a, OddNumbers[b % OddNumbers.Length]));
            case 7: // hostile tags: many, repeated keys, odd values
                {
                    var tags = new StringBuilder("{");
                    int count = c % 80;
                    for (int i = 0; i < count; i++)
                    {
                        if (i > 0) tags.Append(',');
                        var key = (b >> (i % 16) & 1) == 1 ? "k" + (i % 5) : "k" + i;
                        var value = ((i + a) % 5) switch { 0 => "\"v\"", 1 => OddNumbers[i % OddNumbers.Length], 2 => "true", 3 => "\"\\ud800\"", _ => "null" };
                        tags.Append($"\"{key}\":{value}");
                    }
                    tags.Append('}');
                    return Encoding.UTF8.GetBytes(text.Insert(Math.Min(1, text.Length), $"\"tags\":{tags},"));
                }
            case 8: // a long string, now and then one past the largest limit (1 Mi)
                return Encoding.UTF8.GetBytes(InsertIntoString(text, a, new string((char)('a' + b % 26), c < 295 ? c * 3 : 1_100_000)));
            default: // a value replaced by another JSON type
                {
                    var field = Fields[a % Fields.Length];
                    var value = (b % 6) switch { 0 => "[]", 1 => "{}", 2 => "\"1\"", 3 => "true", 4 => "-5", _ => "null" };
                    return Encoding.UTF8.GetBytes(text.Insert(Math.Min(1, text.Length), $"\"{field}\":{value},"));
                }
        }
    }

    /// <summary>A position just after the opening quote of one of the JSON strings in <paramref name="text"/>.</summary>
    private static int StringPosition(string text, int choice)
    {
        var quotes = Enumerable.Range(0, text.Length).Where(i => text[i] == '"').ToList();
        return quotes.Count == 0 ? 0 : quotes[choice % quotes.Count] + 1;
    }

    private static string InsertIntoString(string text, int choice, string insertion) => text.Insert(StringPosition(text, choice), insertion);

    private static string ReplaceNumber(string text, int choice, string number)
    {
        var digits = Enumerable.Range(0, text.Length).Where(i => char.IsAsciiDigit(text[i]) && i > 0 && text[i - 1] == ':').ToList();
        if (digits.Count == 0) return text;
        int start = digits[choice % digits.Count], end = start;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] is '.' or 'e' or 'E' or '-' or '+')) end++;
        return text[..start] + number + text[end..];
    }

    private static string Show(byte[] bytes) => Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 400)));
}
