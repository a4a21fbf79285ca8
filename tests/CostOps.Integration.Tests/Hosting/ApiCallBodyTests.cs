using System.Text;
using CostOps.Infrastructure.Hosting;
using Microsoft.AspNetCore.Http;

namespace CostOps.Integration.Tests.Hosting;

/// <summary>The JSON routes' body text: the same whichever way it is read (one exact buffer for small bodies with a length, a reader otherwise).</summary>
public sealed class ApiCallBodyTests
{
    private const string Json = """{"tenant":"acmé","model":"gpt-4o","note":"π ≠ 3"}""";

    private static Task<string> ReadAsync(byte[] body, bool withLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(body);
        if (withLength) context.Request.ContentLength = body.Length;
        return new ApiCall(context.Request, new NoServices(), new Dictionary<string, string>()).BodyTextAsync(CancellationToken.None);
    }

    public static TheoryData<string, bool> Encodings => new()
    {
        { "utf-8", true }, { "utf-8", false }, { "utf-8 with bom", true }, { "utf-8 with bom", false },
        { "utf-16le with bom", true }, { "utf-16le with bom", false }, { "long utf-8", true },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task The_body_reads_the_same_with_or_without_a_length(string encoding, bool withLength)
    {
        var text = encoding == "long utf-8" ? string.Concat(Enumerable.Repeat(Json, 3000)) : Json; // past the one-buffer size
        byte[] body = encoding switch
        {
            "utf-8 with bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            "utf-16le with bom" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
            _ => Encoding.UTF8.GetBytes(text),
        };
        Assert.Equal(text, await ReadAsync(body, withLength));
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
