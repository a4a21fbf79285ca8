namespace CostOps.Core.Ingestion;

/// <summary>How a payload was framed, as <see cref="UsageEventParser"/> recognised it.</summary>
public enum PayloadFormat
{
    /// <summary>Not a usage payload at all (empty, or not JSON); rejected as a whole.</summary>
    Invalid,

    /// <summary>One JSON object (a usage event or one CloudEvents envelope).</summary>
    Single,

    /// <summary>A JSON array of objects (usage events or CloudEvents: CloudEvents batch mode).</summary>
    Array,

    /// <summary>Newline-delimited JSON: one object per line.</summary>
    Ndjson,
}
