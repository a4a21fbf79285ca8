using System.Text;

namespace CostOps.Cli;

/// <summary>
/// How a command is called: one <see cref="CliForm"/>, or one per action (<c>budgets add|list|...</c>), each with its
/// own options. The usage text and the help come from here, and so does the parsing (<see cref="CliArgs"/>).
/// </summary>
public sealed class CliSyntax
{
    private const int Width = 110;

    public CliSyntax(params IReadOnlyList<CliForm> forms)
    {
        if (forms.Count == 0) throw new ArgumentException("a command has at least one form.", nameof(forms));
        if (forms.Count > 1 && forms.Any(f => f.Verb is null))
            throw new ArgumentException("a command with several forms names an action for each.", nameof(forms));
        // The words after a name are read before the form is known (the action may come after the options): a name
        // must take a value in every form or in none.
        var ambiguous = forms.SelectMany(f => f.Options).GroupBy(o => o.Name).FirstOrDefault(g => g.Select(o => o.IsFlag).Distinct().Count() > 1);
        if (ambiguous is not null) throw new ArgumentException($"--{ambiguous.Key} is a flag in one form and takes a value in another.", nameof(forms));
        Forms = forms;
        Flags = forms.SelectMany(f => f.Options).Where(o => o.IsFlag).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<CliForm> Forms { get; }

    public bool HasActions => Forms[0].Verb is not null;

    /// <summary>Names given without a value in every form.</summary>
    internal IReadOnlySet<string> Flags { get; }

    /// <summary>The form <paramref name="verb"/> (the first positional argument) names; a usage error when it names none.</summary>
    internal CliForm Select(string? verb)
    {
        if (!HasActions) return Forms[0];
        var actions = string.Join(", ", Forms.Select(f => f.Verb));
        return verb is null
            ? throw new CliUsageException($"say what to do: {actions}.")
            : Forms.FirstOrDefault(f => f.Verb == verb) ?? throw new CliUsageException($"unknown action '{verb}': {actions}.");
    }

    /// <summary>
    /// <c>usage: costops NAME ...</c>, one line per form (or for <paramref name="only"/> that one), each option as it
    /// is declared (<c>--id ID</c> required, <c>[--project P]</c> optional, <c>...</c> repeatable), long lines wrapped
    /// under their first option.
    /// </summary>
    public string Usage(string command, CliForm? only = null)
    {
        var text = new StringBuilder();
        foreach (var form in only is null ? Forms : [only])
        {
            var start = (text.Length == 0 ? "usage: " : "       ") + Lead(command, form);
            var indent = new string(' ', start.Length + 1);
            var line = new StringBuilder(start);
            foreach (var option in form.Options)
            {
                if (line.Length + 1 + option.UsageText.Length > Width && line.Length > indent.Length)
                {
                    text.AppendLine(line.ToString());
                    line.Clear().Append(indent.AsSpan(0, indent.Length - 1));
                }
                line.Append(' ').Append(option.UsageText);
            }
            text.AppendLine(line.ToString());
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>What <c>costops help NAME</c> prints below the summary: the usage, then each form's options with their help.</summary>
    public string Help(string command)
    {
        var text = new StringBuilder(Usage(command)).AppendLine();
        foreach (var form in Forms.Where(f => f.Options.Count > 0 || f.Help.Length > 0))
        {
            text.AppendLine().Append(Lead(command, form)).AppendLine(form.Help.Length > 0 ? ": " + form.Help : ":");
            var width = Math.Min(32, form.Options.Select(o => o.Syntax.Length).DefaultIfEmpty(0).Max());
            foreach (var option in form.Options)
            {
                var notes = new List<string>();
                if (option.IsRequired) notes.Add("required");
                if (option.IsRepeatable) notes.Add("may be repeated");
                if (option.DefaultText is { } value) notes.Add("default " + (value.Length == 0 ? "''" : value));
                var syntax = option.Syntax.PadRight(width);
                text.Append("  ").Append(syntax).Append(syntax.Length > width ? "\n  " + new string(' ', width) : "").Append("  ").Append(option.Help)
                    .AppendLine(notes.Count > 0 ? $" ({string.Join("; ", notes)})" : "");
            }
        }
        return text.ToString().TrimEnd();
    }

    private static string Lead(string command, CliForm form) =>
        string.Join(' ', new[] { "costops", command, form.Verb, form.Arguments }.Where(w => !string.IsNullOrEmpty(w)));
}
