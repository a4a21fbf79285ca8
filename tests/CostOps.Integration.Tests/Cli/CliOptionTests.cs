using System.Globalization;
using CostOps.Cli;
using CostOps.Core.Time;

namespace CostOps.Integration.Tests.Cli;

/// <summary>
/// The CLI's options, declared once (<see cref="CliOption"/>, <see cref="CliForm"/>, <see cref="CliSyntax"/>): the
/// usage text and help come from the declarations, and so does the parsing, in the invariant culture, with every
/// mistake a usage error at parse time that names the option.
/// </summary>
public sealed class CliOptionTests
{
    private static readonly CliOption<string> Id = CliOption.Text("id", "ID", "the name").Required();
    private static readonly CliOption<string> Tenant = CliOption.Text("tenant", "T", "a tenant").Required().Repeatable();
    private static readonly CliOption<string> Format = CliOption.Text("format", "TSV|CSV", "output format").Default("TSV");
    private static readonly CliOption<int> Tenants = CliOption.Int("tenants", "N", "how many tenants", 1, 12).Default(8);
    private static readonly CliOption<decimal?> Limit = CliOption.Decimal("limit", "USD", "the limit");
    private static readonly CliOption<double> Bad = CliOption.Fraction("bad", "share of bad events").Default(0.002);
    private static readonly CliOption<long?> Events = CliOption.Long("events", "N", "events", min: 0);
    private static readonly CliOption<DateTimeOffset?> Since = CliOption.Instant("since", "from this instant on");
    private static readonly CliOption<DateOnly?> From = CliOption.Date("effective-from", "first day");
    private static readonly CliOption<string?> Status = CliOption.Choice("status", "only this state", "pending", "delivered");
    private static readonly CliFlag Apply = CliOption.Flag("apply", "store the changes");

    private static readonly CliSyntax Single = new(new CliForm("<path>", [Format, Tenants, Limit, Bad, Events, Since, From, Status, Apply, CliOption.Json]));

    private static readonly CliSyntax WithActions = new(
        new CliForm("add", "", "add one", [Id, Tenant, Limit, Apply]),
        new CliForm("list", "", "list them", [CliOption.Json]),
        new CliForm("show", "ID", "", []));

    private static CliArgs Parse(CliSyntax syntax, params string[] args) => new(args, syntax);

    private static string UsageError(CliSyntax syntax, params string[] args) => Assert.Throws<CliUsageException>(() => Parse(syntax, args)).Message;

    [Fact]
    public void The_usage_text_is_generated_from_the_declarations()
    {
        Assert.Equal(
            "usage: costops things add --id ID --tenant T... [--limit USD] [--apply]\n" +
            "       costops things list [--json]\n" +
            "       costops things show ID",
            WithActions.Usage("things").ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Long_usage_lines_wrap_under_their_first_option()
    {
        var many = Enumerable.Range(1, 12).Select(i => (CliOption)CliOption.Text($"option-{i}", "VALUE", "an option")).ToList();
        var lines = new CliSyntax(new CliForm("", many)).Usage("wide").ReplaceLineEndings("\n").Split('\n');

        Assert.True(lines.Length > 1);
        Assert.All(lines, l => Assert.True(l.Length <= 110, l));
        Assert.StartsWith("usage: costops wide [--option-1 VALUE]", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.StartsWith(new string(' ', "usage: costops wide ".Length) + "[--option-", l));
        Assert.Equal(12, lines.Sum(l => l.Split("[--option-").Length - 1));
    }

    [Fact]
    public void Help_lists_each_forms_options_with_their_help_and_what_is_required_repeatable_or_defaulted()
    {
        var help = WithActions.Help("things").ReplaceLineEndings("\n");

        Assert.Contains("\ncostops things add: add one\n", help);
        Assert.Contains("\n  --id ID      the name (required)\n", help);
        Assert.Contains("\n  --tenant T   a tenant (required; may be repeated)\n", help);
        Assert.Contains("\n  --apply      store the changes\n", help);
        Assert.Contains("\ncostops things list: list them\n  --json  print JSON", help);
        Assert.DoesNotContain("costops things show ID:", help);
        Assert.Contains("  --format TSV|CSV", Single.Help("one"));
        Assert.Contains("output format (default TSV)", Single.Help("one"));
    }

    [Fact]
    public void Values_are_parsed_in_the_invariant_culture_whatever_the_current_one()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var args = Parse(Single, "file", "--limit", "2.50", "--bad", "0.5", "--events=1000");
            Assert.Equal(2.50m, args.Get(Limit));
            Assert.Equal(0.5, args.Get(Bad));
            Assert.Equal(1000L, args.Get(Events));
            // In de-DE "2,50" is two and a half and "1.000" a thousand; on this command line neither is.
            Assert.Equal("--limit takes a decimal number like 2.50, not '2,50'.", UsageError(Single, "--limit", "2,50"));
            Assert.Equal("--events takes a whole number of at least 0, not '1.000'.", UsageError(Single, "--events", "1.000"));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Theory]
    [InlineData("--tenants", "13", "--tenants takes a whole number from 1 to 12, not '13'.")]
    [InlineData("--tenants", "x", "--tenants takes a whole number from 1 to 12, not 'x'.")]
    [InlineData("--bad", "1.5", "--bad takes a fraction between 0 and 1, not '1.5'.")]
    [InlineData("--events", "-1", "--events takes a whole number of at least 0, not '-1'.")]
    [InlineData("--effective-from", "2025-13-01", "--effective-from takes a date like 2025-11-01, not '2025-13-01'.")]
    [InlineData("--status", "Pending", "--status takes one of pending, delivered, not 'Pending'.")]
    [InlineData("--since", "11/01/2026", "--since takes " + Instants.Expected + ", not '11/01/2026'.")]
    public void A_bad_value_is_a_usage_error_naming_the_option_and_what_it_takes(string option, string value, string message) =>
        Assert.Equal(message, UsageError(Single, option, value));

    [Fact]
    public void A_choice_may_ignore_case_and_reads_as_declared()
    {
        var format = CliOption.Choice("format", "output format", ["TSV", "JSONEachRow"], StringComparer.OrdinalIgnoreCase);
        var syntax = new CliSyntax(new CliForm("", [format]));
        Assert.Equal("JSONEachRow", Parse(syntax, "--format", "jsoneachrow").Get(format));
        Assert.Equal("--format takes one of TSV, JSONEachRow, not 'XML'.", UsageError(syntax, "--format", "XML"));
    }

    [Fact]
    public void Instants_go_through_the_one_instant_parser_and_options_not_given_read_as_their_default()
    {
        var args = Parse(Single, "--since", "2026-11-01", "--effective-from", "2025-11-01", "--status", "delivered");
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), args.Get(Since));
        Assert.Equal(new DateOnly(2025, 11, 1), args.Get(From));
        Assert.Equal("delivered", args.Get(Status));
        Assert.Equal("TSV", args.Get(Format));
        Assert.Equal(8, args.Get(Tenants));
        Assert.Null(args.Get(Limit));
        Assert.False(args.Has(Apply));
    }

    [Fact]
    public void An_unknown_option_fails_at_parse_time_with_the_nearest_declared_name_when_one_is_obvious()
    {
        Assert.Equal("unknown option --fromat (did you mean --format?).", UsageError(Single, "file", "--fromat", "TSV"));
        Assert.Equal("unknown option --tenant (did you mean --tenants?).", UsageError(Single, "--tenant", "3"));
        Assert.Equal("unknown option --colour.", UsageError(Single, "--colour", "red"));
        // Declared for another action of the same command: said so, not guessed at.
        Assert.Equal("--limit is not an option of 'list'.", UsageError(WithActions, "list", "--limit", "5"));
        Assert.Equal("unknown option --jsn of 'list' (did you mean --json?).", UsageError(WithActions, "list", "--jsn"));

        // The error knows its form, so the usage printed with it is that form's alone.
        var error = Assert.Throws<CliUsageException>(() => Parse(WithActions, "list", "--jsn"));
        Assert.Equal("usage: costops things list [--json]", WithActions.Usage("things", error.Form));
    }

    [Fact]
    public void Actions_are_checked_at_parse_time_and_the_action_may_follow_its_options()
    {
        Assert.Equal("say what to do: add, list, show.", UsageError(WithActions));
        Assert.Equal("unknown action 'remove': add, list, show.", UsageError(WithActions, "remove", "x"));

        var args = Parse(WithActions, "--json", "list");
        Assert.Equal("list", args.Form.Verb);
        Assert.True(args.Has(CliOption.Json));
        Assert.Equal(new[] { "list" }, args.Positional);
    }

    [Fact]
    public void Required_options_must_be_given_and_repeatable_ones_keep_every_value_in_order()
    {
        Assert.Equal("--id is required.", UsageError(WithActions, "add", "--tenant", "a"));
        Assert.Equal("--tenant is required.", UsageError(WithActions, "add", "--id", "b"));

        var args = Parse(WithActions, "add", "--tenant", "beta", "--id", "b", "--tenant", "alpha", "--tenant=");
        Assert.Equal(new[] { "beta", "alpha", "" }, args.GetAll(Tenant));
        Assert.Equal("b", args.Get(Id));
        Assert.Equal("--id is given more than once.", UsageError(WithActions, "add", "--id", "a", "--id", "b", "--tenant", "t"));
    }

    [Fact]
    public void Flags_take_no_value_and_leave_the_next_word_to_the_positional_arguments()
    {
        var args = Parse(Single, "--apply", "file.ndjson", "--json");
        Assert.True(args.Has(Apply));
        Assert.True(args.Has(CliOption.Json));
        Assert.Equal(new[] { "file.ndjson" }, args.Positional);
        Assert.Equal("--apply takes no value.", UsageError(Single, "--apply=yes"));
        Assert.Equal("--format needs a value.", UsageError(Single, "--format"));
        // A value may look like anything, an empty one or a negative number included.
        Assert.Equal("", Parse(Single, "--format", "").Get(Format));
        Assert.Equal("--json", Parse(Single, "--format", "--json").Get(Format));
    }

    [Fact]
    public void Reading_an_option_the_form_does_not_declare_is_a_mistake_in_the_command()
    {
        var args = Parse(WithActions, "list");
        Assert.Throws<InvalidOperationException>(() => args.Get(Id));
    }

    [Fact]
    public void Declarations_that_cannot_be_parsed_unambiguously_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new CliForm("", [Id, CliOption.Text("id", "X", "again")]));
        Assert.Throws<ArgumentException>(() => new CliSyntax(
            new CliForm("a", "", "", [CliOption.Flag("x", "a flag")]),
            new CliForm("b", "", "", [CliOption.Text("x", "V", "a value")])));
    }

    [Fact]
    public async Task Every_command_declares_a_usable_syntax_and_help_prints_it()
    {
        foreach (var command in CliApp.Commands)
        {
            var usage = command.Syntax.Usage(command.Name);
            Assert.StartsWith($"usage: costops {command.Name}", usage);
            Assert.All(command.Syntax.Forms.SelectMany(f => f.Options), o => Assert.False(string.IsNullOrWhiteSpace(o.Help), $"{command.Name} {o}"));
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["budgets", "--help"], output, error));
        Assert.Contains("costops budgets add --id ID --tenant T --limit USD", output.ToString());
        Assert.Contains("  --no-deliver  enqueue alerts without delivering them", output.ToString());
    }
}
