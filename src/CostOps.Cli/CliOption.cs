using System.Globalization;
using CostOps.Core.Time;

namespace CostOps.Cli;

/// <summary>
/// One option of a command, declared once: its name, its value (or none: a flag), whether it is required or may be
/// given more than once, and a line of help. The usage text, the parsing and the unknown-option errors all come from
/// these declarations (<see cref="CliForm"/>, <see cref="CliArgs"/>). Values are parsed with the invariant culture,
/// whatever the machine's: <c>--bad 0.5</c> means the same on a German desktop as in CI.
/// </summary>
public abstract class CliOption
{
    private protected CliOption(string name, string? valueName, string help, string expected, Func<string, object?>? parse)
    {
        Name = name;
        ValueName = valueName;
        Help = help;
        Expected = expected;
        Parse = parse;
    }

    private protected CliOption(CliOption other, bool required, bool repeatable, string? defaultText)
        : this(other.Name, other.ValueName, other.Help, other.Expected, other.Parse)
    {
        IsRequired = required;
        IsRepeatable = repeatable;
        DefaultText = defaultText;
    }

    /// <summary>The name without its dashes: <c>tenant</c> for <c>--tenant</c>.</summary>
    public string Name { get; }

    /// <summary>What the value is called in the usage text (<c>--tenant T</c>); <see langword="null"/> for a flag.</summary>
    public string? ValueName { get; }

    public string Help { get; }

    public bool IsRequired { get; }

    public bool IsRepeatable { get; }

    /// <summary>The value used when the option is not given, as the help shows it.</summary>
    public string? DefaultText { get; }

    public bool IsFlag => ValueName is null;

    /// <summary>What a value should look like, for the error on a bad one ("a whole number from 1 to 12").</summary>
    internal string Expected { get; }

    /// <summary>The value <paramref name="text"/> stands for, or <see langword="null"/> when it is not one; none for a flag.</summary>
    internal Func<string, object?>? Parse { get; }

    /// <summary><c>--name VALUE</c>, or <c>--name</c> for a flag.</summary>
    internal string Syntax => IsFlag ? "--" + Name : $"--{Name} {ValueName}";

    /// <summary>The option in a usage line: bracketed unless required, with <c>...</c> when it may be repeated.</summary>
    internal string UsageText => (IsRequired ? Syntax : $"[{Syntax}]") + (IsRepeatable ? "..." : "");

    public override string ToString() => "--" + Name;

    /// <summary>The <c>--json</c> flag most listing commands take.</summary>
    public static readonly CliFlag Json = Flag("json", "print JSON");

    public static CliFlag Flag(string name, string help) => new(name, help);

    public static CliOption<string?> Text(string name, string valueName, string help) => new(name, valueName, help, "a value", text => text);

    /// <summary>One of <paramref name="choices"/>, exactly as written.</summary>
    public static CliOption<string?> Choice(string name, string help, params string[] choices) => Choice(name, help, choices, StringComparer.Ordinal);

    /// <summary>One of <paramref name="choices"/> as <paramref name="comparer"/> matches them; the value read is the choice as declared.</summary>
    public static CliOption<string?> Choice(string name, string help, IReadOnlyCollection<string> choices, StringComparer comparer) =>
        new(name, string.Join('|', choices), help, "one of " + string.Join(", ", choices),
            text => choices.FirstOrDefault(choice => comparer.Equals(choice, text)));

    public static CliOption<int?> Int(string name, string valueName, string help, int min = int.MinValue, int max = int.MaxValue) =>
        new(name, valueName, help, WholeNumber(min, max, int.MinValue, int.MaxValue),
            text => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v : null);

    public static CliOption<long?> Long(string name, string valueName, string help, long min = long.MinValue, long max = long.MaxValue) =>
        new(name, valueName, help, WholeNumber(min, max, long.MinValue, long.MaxValue),
            text => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v : null);

    /// <summary>A decimal number with a point (never a comma, whatever the culture); <paramref name="styles"/> say what else is allowed.</summary>
    public static CliOption<decimal?> Decimal(string name, string valueName, string help, NumberStyles styles = NumberStyles.AllowDecimalPoint) =>
        new(name, valueName, help, "a decimal number like 2.50",
            text => decimal.TryParse(text, styles, CultureInfo.InvariantCulture, out var v) ? v : null);

    public static CliOption<double?> Fraction(string name, string help) =>
        new(name, "X", help, "a fraction between 0 and 1",
            text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 1 ? v : null);

    /// <summary>An instant, read by the one parser of instants a person types (<see cref="Instants"/>).</summary>
    public static CliOption<DateTimeOffset?> Instant(string name, string help) =>
        new(name, "ISO-8601", help, Instants.Expected, text => Instants.TryParse(text, out var at) ? at : null);

    public static CliOption<DateOnly?> Date(string name, string help) =>
        new(name, "YYYY-MM-DD", help, "a date like 2025-11-01",
            text => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null);

    private static string WholeNumber<TNumber>(TNumber min, TNumber max, TNumber lowest, TNumber highest)
        where TNumber : IEquatable<TNumber>, IFormattable =>
        (min.Equals(lowest), max.Equals(highest)) switch
        {
            (true, true) => "a whole number",
            (false, true) => $"a whole number of at least {Invariant(min)}",
            (true, false) => $"a whole number of at most {Invariant(max)}",
            _ => $"a whole number from {Invariant(min)} to {Invariant(max)}",
        };

    private protected static string Invariant(object? value) => value switch
    {
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };
}

/// <summary>An option without a value: given or not.</summary>
public sealed class CliFlag : CliOption
{
    internal CliFlag(string name, string help)
        : base(name, null, help, "no value", null)
    {
    }
}

/// <summary>An option with a value; reading it (<see cref="CliArgs.Get{T}"/>) gives a <typeparamref name="T"/>.</summary>
public sealed class CliOption<T> : CliOption
{
    internal CliOption(string name, string valueName, string help, string expected, Func<string, object?> parse)
        : base(name, valueName, help, expected, parse)
    {
    }

    private CliOption(CliOption other, T whenAbsent, bool required, bool repeatable, string? defaultText)
        : base(other, required, repeatable, defaultText)
    {
        WhenAbsent = whenAbsent;
    }

    /// <summary>What reading the option gives when it is not given: its default, else null.</summary>
    internal T WhenAbsent { get; } = default!;

    /// <summary>The same option, given any number of times (<c>--tenant a --tenant b</c>); read with <see cref="CliArgs.GetAll{T}"/>.</summary>
    public CliOption<T> Repeatable() => new(this, WhenAbsent, IsRequired, repeatable: true, DefaultText);

    /// <summary>The same option, required: parsing fails without it, so reading it always gives a value.</summary>
    internal CliOption<TValue> AsRequired<TValue>() => new(this, default!, required: true, IsRepeatable, DefaultText);

    /// <summary>The same option with a default: reading it when it is not given gives <paramref name="value"/>.</summary>
    internal CliOption<TValue> WithDefault<TValue>(TValue value) => new(this, value, IsRequired, IsRepeatable, Invariant(value));
}

/// <summary>Turns an optional option into a required one or one with a default, so that reading it gives no null.</summary>
public static class CliOptionExtensions
{
    public static CliOption<T> Required<T>(this CliOption<T?> option) where T : struct => option.AsRequired<T>();

    public static CliOption<string> Required(this CliOption<string?> option) => option.AsRequired<string>();

    public static CliOption<T> Default<T>(this CliOption<T?> option, T value) where T : struct => option.WithDefault(value);

    public static CliOption<string> Default(this CliOption<string?> option, string value) => option.WithDefault(value);
}
