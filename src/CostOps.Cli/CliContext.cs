using Microsoft.Extensions.Hosting;

namespace CostOps.Cli;

/// <summary>What a command runs with: its host (built, not started; <c>serve</c> starts it) and the console streams.</summary>
public sealed record CliContext(IHost Host, TextWriter Out, TextWriter Error)
{
    public IServiceProvider Services => Host.Services;

    // Progress rewrites one line with '\r': only for a person at a terminal, never into a log or a pipe.
    private static readonly bool Interactive = !Console.IsErrorRedirected;

    private int _progressLength;

    /// <summary>Shows a progress line on the terminal (stderr), replacing the previous one.</summary>
    public void Progress(string text)
    {
        if (!Interactive) return;
        Error.Write($"\r{text}");
        _progressLength = text.Length;
    }

    /// <summary>Clears the progress line, so the result printed next takes its place.</summary>
    public void EndProgress()
    {
        if (Interactive && _progressLength > 0) Error.Write($"\r{new string(' ', _progressLength)}\r");
        _progressLength = 0;
    }
}
