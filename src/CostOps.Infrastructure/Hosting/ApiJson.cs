using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CostOps.Infrastructure.Hosting;

/// <summary>The API's JSON bodies written by hand: one object, relaxed escaping (readable text in reasons and details).</summary>
public static class ApiJson
{
    public static string Object(Action<Utf8JsonWriter> writeMembers)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            writeMembers(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
