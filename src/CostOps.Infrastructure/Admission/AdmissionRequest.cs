using System.Text.Json;

namespace CostOps.Infrastructure.Admission;

/// <summary>
/// The body of <c>POST /api/admission</c>: who calls which model with how much input (<c>input_tokens</c>, or
/// <c>prompt_text</c> to count) and at most how much output. Parsing names every problem, so bad input is a 400.
/// </summary>
public sealed record AdmissionRequest(
    string RequestId, string Tenant, string? Project, string? User, string? Feature, string? Provider, string Model,
    long? InputTokens, string? PromptText, long MaxOutputTokens)
{
    /// <summary>Keys of a usage event (<c>event_id</c>) and of Azure Tables rows allow this much; the same bound as other ids.</summary>
    public const int MaxIdLength = 256;

    /// <summary>No model produces more output in one call; a larger figure is a client bug, not a reservation.</summary>
    public const long MaxTokens = 100_000_000;

    private static readonly string[] Fields =
        ["request_id", "tenant", "project", "user", "feature", "provider", "model", "input_tokens", "prompt_text", "max_output_tokens"];

    /// <summary>The request, or the list of problems (never both).</summary>
    public static (AdmissionRequest? Request, IReadOnlyList<string> Errors) Parse(string body)
    {
        var errors = new List<string>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return (null, [$"body: not valid JSON ({e.Message})"]);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, ["body: a JSON object is expected."]);
            foreach (var p in root.EnumerateObject())
            {
                if (!Fields.Contains(p.Name, StringComparer.Ordinal)) errors.Add($"{p.Name}: unknown field (known: {string.Join(", ", Fields)}).");
            }
            var requestId = Text(root, "request_id", required: true, errors);
            var tenant = Text(root, "tenant", required: true, errors);
            var model = Text(root, "model", required: true, errors);
            var input = Count(root, "input_tokens", errors);
            var prompt = root.TryGetProperty("prompt_text", out var pt) && pt.ValueKind != JsonValueKind.Null
                ? pt.ValueKind == JsonValueKind.String ? pt.GetString() : Add(errors, "prompt_text: must be a string.")
                : null;
            if (input is null && prompt is null && !errors.Any(e => e.StartsWith("input_tokens", StringComparison.Ordinal) || e.StartsWith("prompt_text", StringComparison.Ordinal)))
                errors.Add("input_tokens: required (or prompt_text, to count the prompt's tokens).");
            if (input is not null && prompt is not null) errors.Add("input_tokens, prompt_text: give one of them, not both.");
            var maxOutput = Count(root, "max_output_tokens", errors);
            if (maxOutput is null && !errors.Any(e => e.StartsWith("max_output_tokens", StringComparison.Ordinal))) errors.Add("max_output_tokens: required.");
            var request = new AdmissionRequest(requestId!, tenant!, Text(root, "project", false, errors), Text(root, "user", false, errors),
                Text(root, "feature", false, errors), Text(root, "provider", false, errors), model!, input, prompt, maxOutput ?? 0);
            return errors.Count > 0 ? (null, errors) : (request, []);
        }
    }

    private static string? Add(List<string> errors, string message)
    {
        errors.Add(message);
        return null;
    }

    private static string? Text(JsonElement root, string name, bool required, List<string> errors)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required) errors.Add($"{name}: required.");
            return null;
        }
        if (v.ValueKind != JsonValueKind.String) return Add(errors, $"{name}: must be a string.");
        var text = v.GetString()!;
        if (text.Length == 0) return Add(errors, $"{name}: must not be empty.");
        if (text.Length > MaxIdLength) return Add(errors, $"{name}: at most {MaxIdLength} characters.");
        if (text.Any(char.IsControl)) return Add(errors, $"{name}: control characters are not allowed.");
        return text;
    }

    private static long? Count(JsonElement root, string name, List<string> errors)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n) || n < 0 || n > MaxTokens)
        {
            errors.Add($"{name}: must be a whole number from 0 to {MaxTokens}.");
            return null;
        }
        return n;
    }
}
