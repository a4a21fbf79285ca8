using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Newtonsoft.Json.Linq;

namespace CostOps.Integration.Tests.Infra;

// The part of API Management's policy-expression object model that CostOps' policies use, with APIM's names and
// signatures (context.Request.Headers.GetValueOrDefault, Body.As<T>(preserveContent), context.Variables...), so their
// expressions compile and run here as they do in APIM. APIM's own runtime cannot run outside Azure.
#pragma warning disable CA1716, CA1720

/// <summary>A message body: <c>As&lt;JObject&gt;</c>, <c>As&lt;string&gt;</c>.</summary>
public sealed class MessageBody(string text)
{
    public T As<T>(bool preserveContent = false) => typeof(T) == typeof(string) ? (T)(object)text
        : typeof(T) == typeof(JObject) ? (T)(object)JObject.Parse(text)
        : throw new NotSupportedException($"Body.As<{typeof(T).Name}> is not modelled.");
}

/// <summary>Headers as APIM exposes them (several values joined by commas).</summary>
public sealed class Headers(IReadOnlyDictionary<string, string> values)
{
    public string GetValueOrDefault(string name, string defaultValue) =>
        values.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value ?? defaultValue;
}

/// <summary>APIM's <c>IResponse</c>: what <c>send-request</c> stores in its response variable.</summary>
public interface IResponse
{
    int StatusCode { get; }
    Headers Headers { get; }
    MessageBody Body { get; }
}

public sealed record Response(int StatusCode, Headers Headers, MessageBody Body) : IResponse;

public sealed class RequestUrl(string path)
{
    public string Path => path;
}

public sealed class Request(Headers headers, MessageBody? body, IReadOnlyDictionary<string, string> matchedParameters, RequestUrl url)
{
    public Headers Headers => headers;
    public MessageBody? Body => body;
    public IReadOnlyDictionary<string, string> MatchedParameters => matchedParameters;
    public RequestUrl Url => url;
}

public sealed record Subscription(string Id, string Name);

public sealed record Product(string Id, string Name);

public sealed record Deployment(string ServiceName);

public sealed record Operation(string Id, string UrlTemplate);

/// <summary><c>context.Variables</c>: the indexer and <c>GetValueOrDefault&lt;T&gt;</c>.</summary>
public sealed class Variables : Dictionary<string, object>
{
    public T? GetValueOrDefault<T>(string name) => TryGetValue(name, out var value) && value is T typed ? typed : default;
}

public sealed class ApimContext(Request request, Subscription? subscription, Product? product, Operation operation, Guid requestId)
{
    public Request Request => request;
    public Subscription? Subscription => subscription;
    public Product? Product => product;
    public Operation Operation => operation;
    public Guid RequestId => requestId;
    public Variables Variables { get; } = new();

    /// <summary>The backend's answer (outbound only).</summary>
    public IResponse? Response { get; init; }

    /// <summary>When APIM received the request.</summary>
    public DateTime Timestamp { get; init; }

    /// <summary>Time since APIM received the request.</summary>
    public TimeSpan Elapsed { get; init; }

    public Deployment Deployment { get; init; } = new("apim");
}

/// <summary>The globals a policy expression sees: <c>context</c>.</summary>
public sealed class PolicyGlobals(ApimContext context)
{
#pragma warning disable IDE1006 // APIM names it so.
    public ApimContext context { get; } = context;
#pragma warning restore IDE1006
}

/// <summary>Runs a policy's attribute or element text as APIM does: named values substituted, <c>@(...)</c> and <c>@{...}</c> compiled with Roslyn and run.</summary>
public static class PolicyExpressions
{
    private static readonly ScriptOptions Options = ScriptOptions.Default
        .WithReferences(typeof(JObject).Assembly, typeof(ApimContext).Assembly, typeof(Enumerable).Assembly, typeof(System.Text.StringBuilder).Assembly)
        .WithImports("System", "System.Linq", "System.Text", "System.Collections.Generic", "Newtonsoft.Json.Linq", "CostOps.Integration.Tests.Infra");

    public static async Task<object?> EvaluateAsync(ApimContext context, string text, IReadOnlyDictionary<string, string>? namedValues = null)
    {
        foreach (var (name, value) in namedValues ?? new Dictionary<string, string>()) text = text.Replace("{{" + name + "}}", value, StringComparison.Ordinal);
        if (!text.StartsWith('@')) return text;
        var code = text.StartsWith("@(", StringComparison.Ordinal) ? "return " + text[2..^1] + ";" : text[2..^1];
        return await CSharpScript.EvaluateAsync<object?>(code, Options, new PolicyGlobals(context));
    }
}
